package org.lotusia.libp2p.interop;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;

/**
 * Java side of the test protocols that peer.mjs serves: echo, sink and source over the pattern
 * whose byte at offset i is {@code i % 251}. Used to prove byte-exact transfers in both directions.
 */
public final class TestProtocols {
  private static final int CHUNK =
      JsPeer.PATTERN_PERIOD * 256; // 64,256 bytes, starts on a period boundary
  private static final byte[] TEMPLATE = new byte[CHUNK];

  static {
    for (int i = 0; i < CHUNK; i++) {
      TEMPLATE[i] = (byte) (i % JsPeer.PATTERN_PERIOD);
    }
  }

  private TestProtocols() {}

  /** Registers echo, sink and source handlers on the host. */
  public static void serve(Host host) {
    host.setStreamHandler(JsPeer.ECHO, TestProtocols::echo);
    host.setStreamHandler(
        JsPeer.SINK,
        stream -> {
          PatternChecker checker = new PatternChecker();
          stream.setReader(
              new StreamReader() {
                @Override
                public void onData(Stream s, byte[] chunk) {
                  if (!checker.accept(chunk)) {
                    s.reset();
                  }
                }

                @Override
                public void onEnd(Stream s) {
                  s.write(checker.digest()).thenCompose(v -> s.closeWrite());
                }
              });
        });
    host.setStreamHandler(
        JsPeer.SOURCE,
        stream ->
            stream
                .read(8)
                .thenCompose(header -> sendPattern(stream, ByteBuffer.wrap(header).getLong(), null))
                .thenCompose(digest -> stream.closeWrite())
                .exceptionally(
                    e -> {
                      stream.reset();
                      return null;
                    }));
  }

  private static void echo(Stream stream) {
    // writes are chained so that echoed bytes keep their order
    CompletableFuture<?>[] last = {CompletableFuture.completedFuture(null)};
    stream.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream s, byte[] chunk) {
            last[0] = last[0].thenCompose(v -> s.write(chunk));
          }

          @Override
          public void onEnd(Stream s) {
            last[0].thenCompose(v -> s.closeWrite());
          }
        });
  }

  /**
   * Writes {@code total} pattern bytes, each chunk once the stream took the previous one, and
   * returns their SHA-256. Writes that complete at once are looped over instead of chained, so
   * neither the stack nor a thread pool is involved per chunk.
   */
  public static CompletableFuture<byte[]> sendPattern(Stream stream, long total) {
    return sendPattern(stream, total, sha256());
  }

  /**
   * Writes {@code total} pattern bytes as {@link #sendPattern(Stream, long)} does, hashing them
   * into {@code sha} unless it is null (the source protocol: nobody asks for its digest, and the
   * throughput benchmark measures the stack, not SHA-256).
   *
   * @return the digest, or null without {@code sha}
   */
  private static CompletableFuture<byte[]> sendPattern(Stream stream, long total, MessageDigest sha) {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    new Runnable() {
      private long sent;

      @Override
      public void run() {
        while (sent < total) {
          int n = (int) Math.min(CHUNK, total - sent);
          byte[] chunk = n == CHUNK ? TEMPLATE : Arrays.copyOf(TEMPLATE, n);
          if (sha != null) {
            sha.update(chunk);
          }
          sent += n;
          CompletableFuture<Void> written = stream.write(chunk);
          if (!written.isDone() || written.isCompletedExceptionally()) {
            written.whenComplete(
                (v, e) -> {
                  if (e != null) {
                    done.completeExceptionally(e);
                  } else {
                    run();
                  }
                });
            return;
          }
        }
        done.complete(sha == null ? null : sha.digest());
      }
    }.run();
    return done;
  }

  /** Receives the pattern until the end of the stream, checking every byte. */
  public static CompletableFuture<PatternChecker> receivePattern(Stream stream) {
    PatternChecker checker = new PatternChecker();
    CompletableFuture<PatternChecker> done = new CompletableFuture<>();
    stream.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream s, byte[] chunk) {
            if (!checker.accept(chunk)) {
              done.completeExceptionally(new AssertionError(checker.error));
              s.reset();
            }
          }

          @Override
          public void onEnd(Stream s) {
            done.complete(checker);
          }

          @Override
          public void onError(Stream s, Throwable cause) {
            done.completeExceptionally(cause);
          }
        });
    return done;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checks a stream of bytes against the pattern and hashes it. */
  public static final class PatternChecker {
    private final MessageDigest sha = sha256();
    private long offset;
    private String error;

    boolean accept(byte[] chunk) {
      if (error != null) {
        return false;
      }
      for (int i = 0; i < chunk.length; i++) {
        int expected = (int) ((offset + i) % JsPeer.PATTERN_PERIOD);
        if ((chunk[i] & 0xff) != expected) {
          error =
              "pattern mismatch at byte "
                  + (offset + i)
                  + ": got "
                  + (chunk[i] & 0xff)
                  + ", expected "
                  + expected;
          return false;
        }
      }
      sha.update(chunk);
      offset += chunk.length;
      return true;
    }

    /** Bytes received so far. */
    public long bytes() {
      return offset;
    }

    /** SHA-256 of the bytes received (call once, at the end). */
    public byte[] digest() {
      return sha.digest();
    }
  }
}
