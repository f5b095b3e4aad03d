package org.lotusia.libp2p.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An unpooled allocator that remembers every buffer it hands out, so a fuzz test can check after
 * each input that the code under test released everything: a deterministic, per-input leak check
 * that does not wait for the garbage collector the way Netty's leak detector does.
 *
 * <p>Set it on a channel before adding the handlers under test ({@code
 * channel.config().setAllocator(alloc)}) and allocate the inbound test input from it too; then
 * {@link #leaked()} after {@code finishAndReleaseAll()} lists what was not released. Not
 * thread-safe: meant for an {@link io.netty.channel.embedded.EmbeddedChannel}, which runs
 * everything on the test thread.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

  private final List<ByteBuf> allocated = new ArrayList<>();

  /** Creates an allocator that prefers heap buffers. */
  public TrackingAllocator() {
    super(false);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    allocated.add(b);
    return b;
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    ByteBuf b = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
    allocated.add(b);
    return b;
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  /**
   * A copy of {@code bytes} in a buffer this allocator tracks.
   *
   * @param bytes the content
   * @return a new buffer the caller owns
   */
  public ByteBuf copyOf(byte[] bytes) {
    return heapBuffer(bytes.length).writeBytes(bytes);
  }

  /**
   * The buffers handed out since the last {@link #clear()} that are still referenced.
   *
   * @return descriptions of the unreleased buffers (empty when everything was released)
   */
  public List<String> leaked() {
    List<String> out = new ArrayList<>();
    for (ByteBuf b : allocated) {
      if (b.refCnt() > 0) {
        out.add(b + " refCnt=" + b.refCnt());
      }
    }
    return out;
  }

  /** Forgets every buffer handed out so far. */
  public void clear() {
    allocated.clear();
  }
}
