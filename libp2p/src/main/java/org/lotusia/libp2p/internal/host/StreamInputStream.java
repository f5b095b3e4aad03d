package org.lotusia.libp2p.internal.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import org.lotusia.libp2p.Stream;

/**
 * A blocking {@link InputStream} over {@link Stream#readSome(int)}. Not thread-safe; one reader.
 */
final class StreamInputStream extends InputStream {

  private final Stream stream;
  private boolean ended;

  StreamInputStream(Stream stream) {
    this.stream = stream;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (ended) {
      return -1;
    }
    byte[] got;
    try {
      got = stream.readSome(len).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading " + stream.protocol());
    } catch (ExecutionException e) {
      throw new IOException("reading " + stream.protocol() + " failed: " + e.getCause(), e.getCause());
    }
    if (got.length == 0) {
      ended = true;
      return -1;
    }
    System.arraycopy(got, 0, b, off, got.length);
    return got.length;
  }

  @Override
  public void close() {
    stream.close();
  }
}
