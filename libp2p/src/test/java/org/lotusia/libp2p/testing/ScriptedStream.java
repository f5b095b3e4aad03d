package org.lotusia.libp2p.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;

/**
 * A {@link Stream} whose remote side is a fixed byte string, for fuzz tests of protocol handlers:
 * reads are served from the script at once and fail with {@link EOFException} past its end (the
 * remote closed its side), writes are recorded, and close, half-close and reset are remembered; a
 * half-close by this side closes the stream (the remote has closed its side after the script).
 * Everything completes on the calling thread, so a handler has finished when its call returns.
 * Single-threaded use only.
 */
public final class ScriptedStream implements Stream {

  private final byte[] script;
  private final Connection connection;
  private final String protocol;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private int at;
  private boolean writeClosed;
  private boolean reset;

  /**
   * @param script the bytes the remote sends, then its write-close
   * @param connection the connection the stream belongs to
   * @param protocol the negotiated protocol
   */
  public ScriptedStream(byte[] script, Connection connection, String protocol) {
    this.script = script.clone();
    this.connection = connection;
    this.protocol = protocol;
  }

  /**
   * An inbound connection from {@code peer} observed at {@code remote}: every method but the
   * peer, the addresses, the direction, the limits (none) and close refuses with {@link
   * UnsupportedOperationException}.
   *
   * @param peer the remote peer
   * @param remote the address it was seen at
   * @return the connection
   */
  public static Connection connection(PeerId peer, Multiaddr remote) {
    return connection(peer, remote, null);
  }

  /**
   * A stream this side opens to {@code peer}: its connection's {@code newStream} (for any
   * protocols) completes with the stream itself, once.
   *
   * @param script the bytes the remote answers, then its write-close
   * @param peer the remote peer
   * @param remote its address
   * @param protocol the negotiated protocol
   * @return the stream
   */
  public static ScriptedStream outbound(
      byte[] script, PeerId peer, Multiaddr remote, String protocol) {
    ScriptedStream[] self = new ScriptedStream[1];
    self[0] = new ScriptedStream(script, connection(peer, remote, self), protocol);
    return self[0];
  }

  private static Connection connection(PeerId peer, Multiaddr remote, ScriptedStream[] opens) {
    InvocationHandler h =
        (proxy, m, args) ->
            switch (m.getName()) {
              case "remotePeer" -> peer;
              case "remoteAddress" -> remote;
              case "localAddress" -> Multiaddr.parse("/ip4/192.0.2.200/tcp/4001");
              case "direction" -> Direction.INBOUND;
              case "isOpen" -> true;
              case "streams" -> List.of();
              case "close", "closeFuture" -> CompletableFuture.completedFuture(null);
              case "limits", "limited" -> InvocationHandler.invokeDefault(proxy, m, args);
              case "newStream" -> {
                if (opens == null || opens[0] == null) {
                  throw new UnsupportedOperationException("newStream");
                }
                ScriptedStream st = opens[0];
                opens[0] = null;
                yield CompletableFuture.completedFuture(st);
              }
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              case "toString" -> "connection from " + peer + " at " + remote;
              default -> throw new UnsupportedOperationException(m.getName());
            };
    return (Connection)
        Proxy.newProxyInstance(
            ScriptedStream.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  /** Everything the local side wrote. */
  public byte[] written() {
    return written.toByteArray();
  }

  /**
   * Splits bytes written as unsigned-varint length-prefixed messages (the framing of identify,
   * AutoNAT, relay and DCUtR).
   *
   * @param bytes what was written
   * @return the message bodies
   * @throws IllegalArgumentException when the bytes do not end at a message boundary
   */
  public static List<byte[]> lengthPrefixedMessages(byte[] bytes) {
    List<byte[]> out = new java.util.ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      long len = 0;
      for (int shift = 0; ; shift += 7) {
        if (at >= bytes.length || shift > 28) {
          throw new IllegalArgumentException("incomplete length prefix at " + at);
        }
        int b = bytes[at++] & 0xff;
        len |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      if (len > bytes.length - at) {
        throw new IllegalArgumentException("message of " + len + " bytes cut short at " + at);
      }
      out.add(Arrays.copyOfRange(bytes, at, at + (int) len));
      at += (int) len;
    }
    return out;
  }

  /** Whether the local side reset the stream. */
  public boolean wasReset() {
    return reset;
  }

  /** Whether the local side closed the stream or its write side. */
  public boolean wasClosed() {
    return closed.isDone() || writeClosed;
  }

  /** How many script bytes the local side read. */
  public int consumed() {
    return at;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public Direction direction() {
    return Direction.INBOUND;
  }

  @Override
  public CompletableFuture<Void> write(byte[] data) {
    if (reset || writeClosed) {
      return CompletableFuture.failedFuture(new IOException("stream closed for writing"));
    }
    written.writeBytes(data);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> closeWrite() {
    writeClosed = true;
    // the remote write-closes after its script: with both sides closed, the stream is closed
    closed.complete(null);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> close() {
    writeClosed = true;
    closed.complete(null);
    return closed;
  }

  @Override
  public void reset() {
    reset = true;
    closed.complete(null);
  }

  @Override
  public void setReader(StreamReader reader) {
    throw new UnsupportedOperationException("push reads are not scripted");
  }

  @Override
  public CompletableFuture<byte[]> read(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length " + length);
    }
    if (reset) {
      return CompletableFuture.failedFuture(new IOException("stream reset"));
    }
    if (script.length - at < length) {
      at = script.length;
      return CompletableFuture.failedFuture(new EOFException("end of stream"));
    }
    byte[] out = Arrays.copyOfRange(script, at, at + length);
    at += length;
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public CompletableFuture<byte[]> readAll(int maxBytes) {
    if (script.length - at > maxBytes) {
      return CompletableFuture.failedFuture(new IOException("more than " + maxBytes + " bytes"));
    }
    byte[] out = Arrays.copyOfRange(script, at, script.length);
    at = script.length;
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public CompletableFuture<byte[]> readSome(int maxBytes) {
    if (at == script.length) {
      return CompletableFuture.failedFuture(new EOFException("end of stream"));
    }
    int n = Math.min(maxBytes, script.length - at);
    byte[] out = Arrays.copyOfRange(script, at, at + n);
    at += n;
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public InputStream inputStream() {
    byte[] rest = Arrays.copyOfRange(script, at, script.length);
    at = script.length;
    return new ByteArrayInputStream(rest);
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  @Override
  public boolean isOpen() {
    return !closed.isDone();
  }
}
