package org.lotusia.libp2p.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer while it ran.
 *
 * <p>Registered for every test class through JUnit's extension auto-detection ({@code
 * META-INF/services} plus {@code junit-platform.properties}). Its static initialiser replaces
 * Netty's leak-detector factory before any buffer class is loaded, so every report lands in a queue
 * instead of only in a log line. After each class it forces garbage collection and a few
 * allocations, which makes Netty run its leak check, and fails the class when anything was
 * reported. Tests run with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is
 * tracked.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LEAKS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    List<String> found = collectLeaks();
    if (!found.isEmpty()) {
      throw new AssertionError(
          "Netty reported "
              + found.size()
              + " leaked buffer(s) in "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n\n", found));
    }
  }

  /** Runs the garbage collector and the leak check a few times, then drains the reports. */
  static List<String> collectLeaks() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      System.runFinalization();
      Thread.sleep(20); // give the reference queue a moment; not a wait for a condition
      for (int j = 0; j < 64; j++) {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        a.release();
        b.release();
      }
    }
    List<String> out = new ArrayList<>();
    String s;
    while ((s = LEAKS.poll()) != null) {
      out.add(s);
    }
    return out;
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    // deprecated in Netty but still the factory's abstract method, so it has to be implemented
    @SuppressWarnings("deprecation")
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return newResourceLeakDetector(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<?> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add("LEAK: " + resourceType + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add("LEAK: " + resourceType + " (untraced)");
      super.reportUntracedLeak(resourceType);
    }
  }
}
