package org.lotusia.libp2p.internal.yamux;

import static org.lotusia.libp2p.internal.yamux.YamuxFrames.*;

import io.netty.buffer.ByteBuf;

/**
 * Inbound side of a {@link YamuxHandler}: parses frame headers, checks them before accepting a byte
 * of payload (version, type, flags, stream id, frame limit, receive window, no data after the
 * remote's FIN), and streams Data payloads to their stream as they arrive, so a large frame is
 * never buffered whole. Event loop only.
 */
final class YamuxFrameReader {

  private final YamuxHandler session;
  // state of a Data payload in progress
  private long dataRemaining;
  private YamuxStream dataStream;
  private int dataFlags;

  YamuxFrameReader(YamuxHandler session) {
    this.session = session;
  }

  /** Consumes as much of {@code in} as forms frames; after the session ended, drops the rest. */
  void read(ByteBuf in) {
    while (!session.isTerminated()) {
      if (dataRemaining > 0) {
        int n = (int) Math.min(in.readableBytes(), dataRemaining);
        if (n == 0) {
          return;
        }
        ByteBuf slice = in.readRetainedSlice(n);
        dataRemaining -= n;
        if (dataStream != null) {
          dataStream.onData(slice);
        } else {
          slice.release();
        }
        if (dataRemaining == 0) {
          finishFrame(dataStream, dataFlags);
        }
        continue;
      }
      if (in.readableBytes() < HEADER_LENGTH) {
        return;
      }
      int version = in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedShort();
      int streamId = in.readInt();
      long length = in.readUnsignedInt();
      onHeader(version, type, flags, streamId, length);
    }
    in.skipBytes(in.readableBytes());
  }

  private void onHeader(int version, int type, int flags, int streamId, long length) {
    if (version != VERSION) {
      session.violation("unsupported version " + version);
      return;
    }
    if (type > TYPE_GO_AWAY) {
      session.violation("unknown frame type " + type);
      return;
    }
    if ((flags & ~KNOWN_FLAGS) != 0) {
      session.violation(
          "unknown flags 0x" + Integer.toHexString(flags) + " on " + typeName(type) + " frame");
      return;
    }
    switch (type) {
      case TYPE_PING -> session.pings().onPing(flags, streamId, length);
      case TYPE_GO_AWAY -> session.onGoAway(streamId, length);
      default -> onStreamFrame(type, flags, streamId, length);
    }
  }

  private void onStreamFrame(int type, int flags, int streamId, long length) {
    String what = typeName(type) + " frame for stream " + Integer.toUnsignedString(streamId);
    if (streamId == 0) {
      session.violation(what + ": stream id 0 is reserved for the session");
      return;
    }
    if ((flags & (FLAG_SYN | FLAG_ACK)) == (FLAG_SYN | FLAG_ACK)
        || ((flags & FLAG_RST) != 0 && (flags & FLAG_SYN) != 0)) {
      session.violation(what + " has an invalid flag combination 0x" + Integer.toHexString(flags));
      return;
    }
    if (type == TYPE_DATA && length > session.config().maxFrameLength()) {
      session.violation(
          what
              + " of "
              + length
              + " bytes exceeds the frame limit of "
              + session.config().maxFrameLength());
      return;
    }
    YamuxStream s;
    if ((flags & FLAG_SYN) != 0) {
      s = session.streams().accept(streamId);
      if (session.isTerminated()) {
        return;
      }
    } else {
      s = session.streams().get(streamId);
      if (s == null && !session.streams().wasOpened(streamId)) {
        session.violation(what + ", which was never opened");
        return;
      }
    }
    if (s != null && (flags & FLAG_ACK) != 0) {
      s.onAck();
    }
    if (type == TYPE_WINDOW_UPDATE) {
      if (s != null && length > 0) {
        if (s.sendWindow() + length > 0xFFFF_FFFFL) {
          session.violation(what + ": window update of " + length + " overflows the send window");
          return;
        }
        s.onWindowUpdate(length);
      }
      finishFrame(s, flags);
      return;
    }
    if (s != null && type == TYPE_DATA && length > 0 && s.finReceived()) {
      // The remote half-closed the stream (FIN) and still sends data: its reader has seen the end
      // of the stream, so these bytes could never be delivered. Reset the stream, drop the bytes.
      s.reset();
      s = null;
    }
    if (s != null && length > s.recvWindow()) {
      session.violation(
          what + ": " + length + " bytes exceed the receive window of " + s.recvWindow());
      return;
    }
    dataRemaining = length;
    dataStream = s;
    dataFlags = flags;
    if (length == 0) {
      finishFrame(s, flags);
    }
  }

  private void finishFrame(YamuxStream s, int flags) {
    dataStream = null;
    if (s == null) {
      return;
    }
    if ((flags & FLAG_RST) != 0) {
      s.onRemoteReset();
    } else if ((flags & FLAG_FIN) != 0) {
      s.onFin();
    }
  }
}
