package org.lotusia.libp2p.internal.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.PromiseCombiner;
import java.nio.ByteBuffer;

/**
 * The transport phase of one Noise session on Netty buffers (noise-libp2p spec, "Encryption and
 * I/O"): each message is a 2-byte big-endian length and at most 65535 bytes of ciphertext and tag.
 * Used by {@link NoiseHandler} after the handshake; owns the two transport {@link CipherState}s.
 *
 * <p>Buffers: where the cipher in use reads direct memory itself ({@link
 * CipherState#prefersDirectBuffers()}, the native implementation) and the bytes sit in direct
 * buffers (socket reads and Yamux frames do), it works on direct buffers: a message that lies in one
 * piece of memory is read in place, one spread over several (coalesced writes, a message split
 * between socket reads) is first gathered into a per-thread direct scratch buffer; otherwise on
 * byte arrays, with heap output buffers and one copy into a per-thread scratch array for direct
 * input. Every buffer this class allocates is either returned to the caller or released here.
 *
 * <p>Confined to the channel's event loop.
 */
final class NoiseTransport {

  /** Largest plaintext in one transport message: 65535 minus the 16-byte tag. */
  static final int MAX_PLAINTEXT = HandshakeState.MAX_MESSAGE_LENGTH - CipherState.TAG_LENGTH;

  /** 15 messages of 65537 bytes stay below 1 MiB, the largest buffer Netty's allocators pool. */
  static final int FRAMES_PER_BUFFER = 15;

  /** Plaintext bytes encrypted into one output buffer. */
  static final int BATCH_BYTES = FRAMES_PER_BUFFER * MAX_PLAINTEXT;

  private static final int FRAME_OVERHEAD = 2 + CipherState.TAG_LENGTH;

  /**
   * Per event-loop thread copy buffer for messages held in buffers without a backing array. Each
   * use is one uninterrupted copy-then-crypt step on that thread, so sharing it between connections
   * is safe.
   */
  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[HandshakeState.MAX_MESSAGE_LENGTH];
        }
      };

  /** Per event-loop thread direct copy of a message that spans buffers; used like SCRATCH. */
  private static final FastThreadLocal<ByteBuffer> DIRECT_SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
          return ByteBuffer.allocateDirect(HandshakeState.MAX_MESSAGE_LENGTH);
        }
      };

  private final CipherState sender;
  private final CipherState receiver;

  NoiseTransport(CipherState sender, CipherState receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  CipherState sender() {
    return sender;
  }

  CipherState receiver() {
    return receiver;
  }

  /**
   * Decrypts the {@code len}-byte message at {@code in}'s reader index (after its length prefix)
   * without moving the index.
   *
   * @return the plaintext, owned by the caller, or null when it is empty
   * @throws NoiseFailure if the message is shorter than the tag or fails authentication
   * @throws IllegalStateException if the nonce space is exhausted
   */
  ByteBuf decrypt(ByteBufAllocator alloc, ByteBuf in, int len) {
    if (len < CipherState.TAG_LENGTH) {
      throw new NoiseFailure(
          "Noise transport message of " + len + " bytes is shorter than the 16-byte tag");
    }
    int plainLen = len - CipherState.TAG_LENGTH;
    boolean direct = in.isDirect() && receiver.prefersDirectBuffers();
    ByteBuf plain = direct ? alloc.directBuffer(plainLen) : alloc.heapBuffer(plainLen);
    boolean done = false;
    try {
      if (direct) {
        receiver.decrypt(contiguous(in, in.readerIndex(), len), plain.nioBuffer(0, plainLen));
      } else {
        decryptArrays(in, len, plain, plainLen);
      }
      plain.writerIndex(plainLen);
      done = plainLen > 0;
      return done ? plain : null;
    } finally {
      if (!done) {
        plain.release();
      }
    }
  }

  /**
   * The {@code len} bytes of direct {@code in} at {@code index} as one buffer: a view when they lie
   * in one piece of memory, else a copy in this thread's direct scratch buffer (a message that
   * spans two socket reads, or plaintext made of several writes). Each use is one uninterrupted
   * copy-then-crypt step on this thread.
   */
  private static ByteBuffer contiguous(ByteBuf in, int index, int len) {
    ByteBuffer[] parts = in.nioBuffers(index, len);
    if (parts.length == 1) {
      return parts[0];
    }
    ByteBuffer scratch = DIRECT_SCRATCH.get().clear().limit(len);
    in.getBytes(index, scratch);
    return scratch.flip();
  }

  private void decryptArrays(ByteBuf in, int len, ByteBuf plain, int plainLen) {
    byte[] src;
    int srcOff;
    if (in.hasArray()) {
      src = in.array();
      srcOff = in.arrayOffset() + in.readerIndex();
    } else {
      src = SCRATCH.get();
      srcOff = 0;
      in.getBytes(in.readerIndex(), src, 0, len);
    }
    if (plain.hasArray()) {
      receiver.decrypt(src, srcOff, len, plain.array(), plain.arrayOffset());
    } else {
      byte[] tmp = new byte[plainLen];
      receiver.decrypt(src, srcOff, len, tmp, 0);
      plain.setBytes(0, tmp);
    }
  }

  /**
   * Encrypts all readable bytes of {@code buf} (not released here) into messages of at most 65519
   * plaintext bytes, writes them to {@code ctx} in buffers of up to 15 messages, and completes
   * {@code promise} when all are written. An empty {@code buf} writes an empty buffer, so the
   * promise stays ordered behind earlier writes.
   *
   * @throws IllegalStateException if the nonce space is exhausted (nothing of the failing buffer is
   *     written)
   */
  void encryptAndWrite(ChannelHandlerContext ctx, ByteBuf buf, ChannelPromise promise) {
    int remaining = buf.readableBytes();
    if (remaining == 0) {
      ctx.write(Unpooled.EMPTY_BUFFER, promise);
      return;
    }
    int index = buf.readerIndex();
    PromiseCombiner combiner = null;
    while (remaining > 0) {
      int chunk = Math.min(remaining, BATCH_BYTES);
      int frames = (chunk + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
      int capacity = chunk + frames * FRAME_OVERHEAD;
      // A batch of several Yamux frames is a composite of direct buffers: it stays on the direct
      // path too, each message read in place or gathered once into the direct scratch buffer.
      boolean direct = buf.isDirect() && sender.prefersDirectBuffers();
      ByteBuf out = direct ? ctx.alloc().directBuffer(capacity) : ctx.alloc().heapBuffer(capacity);
      try {
        for (int left = chunk; left > 0; ) {
          int n = Math.min(left, MAX_PLAINTEXT);
          if (direct) {
            encryptDirect(buf, index, n, out);
          } else {
            encryptMessage(buf, index, n, out);
          }
          index += n;
          left -= n;
        }
      } catch (RuntimeException e) {
        out.release();
        throw e;
      }
      remaining -= chunk;
      if (remaining == 0 && combiner == null) {
        ctx.write(out, promise);
        return;
      }
      if (combiner == null) {
        combiner = new PromiseCombiner(ctx.executor());
      }
      combiner.add(ctx.write(out));
    }
    combiner.finish(promise);
  }

  private void encryptDirect(ByteBuf buf, int index, int n, ByteBuf out) {
    out.writeShort(n + CipherState.TAG_LENGTH);
    int w = out.writerIndex();
    int written =
        sender.encrypt(contiguous(buf, index, n), out.nioBuffer(w, n + CipherState.TAG_LENGTH));
    out.writerIndex(w + written);
  }

  private void encryptMessage(ByteBuf buf, int index, int n, ByteBuf out) {
    byte[] src = null;
    int srcOff = 0;
    if (buf.hasArray()) {
      src = buf.array();
      srcOff = buf.arrayOffset() + index;
    } else if (buf instanceof CompositeByteBuf c) {
      // Coalesced writes: a message that lies inside one heap component is encrypted in place.
      int i = c.toComponentIndex(index);
      ByteBuf component = c.internalComponent(i);
      int offset = index - c.toByteIndex(i);
      if (component.hasArray() && offset + n <= component.readableBytes()) {
        src = component.array();
        srcOff = component.arrayOffset() + component.readerIndex() + offset;
      }
    }
    if (src == null) {
      src = SCRATCH.get();
      srcOff = 0;
      buf.getBytes(index, src, 0, n);
    }
    out.writeShort(n + CipherState.TAG_LENGTH);
    int w = out.writerIndex();
    if (out.hasArray()) {
      sender.encrypt(src, srcOff, n, out.array(), out.arrayOffset() + w);
      out.writerIndex(w + n + CipherState.TAG_LENGTH);
    } else {
      byte[] tmp = new byte[n + CipherState.TAG_LENGTH];
      sender.encrypt(src, srcOff, n, tmp, 0);
      out.writeBytes(tmp);
    }
  }
}
