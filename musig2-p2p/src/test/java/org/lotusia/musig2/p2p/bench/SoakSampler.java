package org.lotusia.musig2.p2p.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the figures that must stay flat over a soak: heap used after GC, threads, open file
 * descriptors, Netty's allocators and the JVM's direct buffer pool; and compares the first and
 * last windows of a run.
 */
final class SoakSampler {

  /**
   * The sampled figures, their units, and the growth from the first window's mean to the last's
   * above which the figure is called not flat: more than {@code relative} and more than {@code
   * absolute} (a small figure may double by noise; a large one may move a few percent by GC).
   */
  enum Figure {
    HEAP_MIB("heap_after_gc_MiB", 0.25, 16),
    THREADS("threads", 0.10, 10),
    LOTUS_THREADS("lotus_threads", 0.10, 10),
    FDS("open_fds", 0.10, 20),
    POOLED_HEAP_MIB("netty_pooled_heap_MiB", 0.25, 8),
    POOLED_DIRECT_MIB("netty_pooled_direct_MiB", 0.25, 8),
    POOLED_ACTIVE("netty_pooled_active_allocs", 0.25, 500),
    DEFAULT_HEAP_MIB("netty_default_alloc_heap_MiB", 0.25, 8),
    DEFAULT_DIRECT_MIB("netty_default_alloc_direct_MiB", 0.25, 8),
    JVM_DIRECT_MIB("jvm_direct_pool_MiB", 0.25, 8),
    JVM_DIRECT_COUNT("jvm_direct_pool_buffers", 0.25, 200);

    final String label;
    final double relative;
    final double absolute;

    Figure(String label, double relative, double absolute) {
      this.label = label;
      this.relative = relative;
      this.absolute = absolute;
    }
  }

  /** One sample: seconds since the start and one value per {@link Figure}. */
  record Sample(double seconds, double[] values) {}

  private static final double MIB = 1024.0 * 1024.0;
  private final List<Sample> samples = new ArrayList<>();

  /** Takes a sample (after two full GCs) and returns it. */
  Sample sample(double seconds) {
    System.gc();
    System.gc();
    double[] v = new double[Figure.values().length];
    v[Figure.HEAP_MIB.ordinal()] =
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    v[Figure.THREADS.ordinal()] = ManagementFactory.getThreadMXBean().getThreadCount();
    v[Figure.LOTUS_THREADS.ordinal()] =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("lotus-"))
            .count();
    v[Figure.FDS.ordinal()] =
        ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean u
            ? u.getOpenFileDescriptorCount()
            : -1;
    PooledByteBufAllocatorMetric pm = PooledByteBufAllocator.DEFAULT.metric();
    v[Figure.POOLED_HEAP_MIB.ordinal()] = pm.usedHeapMemory() / MIB;
    v[Figure.POOLED_DIRECT_MIB.ordinal()] = pm.usedDirectMemory() / MIB;
    long active = 0;
    for (PoolArenaMetric a : pm.heapArenas()) {
      active += a.numActiveAllocations();
    }
    for (PoolArenaMetric a : pm.directArenas()) {
      active += a.numActiveAllocations();
    }
    v[Figure.POOLED_ACTIVE.ordinal()] = active;
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
      ByteBufAllocatorMetric m = p.metric();
      v[Figure.DEFAULT_HEAP_MIB.ordinal()] = m.usedHeapMemory() / MIB;
      v[Figure.DEFAULT_DIRECT_MIB.ordinal()] = m.usedDirectMemory() / MIB;
    }
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        v[Figure.JVM_DIRECT_MIB.ordinal()] = b.getMemoryUsed() / MIB;
        v[Figure.JVM_DIRECT_COUNT.ordinal()] = b.getCount();
      }
    }
    Sample s = new Sample(seconds, v);
    synchronized (samples) {
      samples.add(s);
    }
    return s;
  }

  static String header() {
    StringBuilder sb = new StringBuilder("t_s");
    for (Figure f : Figure.values()) {
      sb.append('\t').append(f.label);
    }
    return sb.toString();
  }

  static String line(Sample s) {
    StringBuilder sb = new StringBuilder(String.format("%.0f", s.seconds()));
    for (double x : s.values()) {
      sb.append('\t').append(String.format("%.1f", x));
    }
    return sb.toString();
  }

  /**
   * The side-by-side table of the means of the samples in the first and last {@code window}
   * seconds of a run of {@code total} seconds, and one verdict line; returns whether every figure
   * stayed flat.
   */
  boolean report(double total, double window, StringBuilder out) {
    List<Sample> all;
    synchronized (samples) {
      all = List.copyOf(samples);
    }
    List<Sample> first = all.stream().filter(s -> s.seconds() <= window).toList();
    List<Sample> last = all.stream().filter(s -> s.seconds() >= total - window).toList();
    out.append(String.format("# first %.0f s (%d samples) vs last %.0f s (%d samples)%n",
        window, first.size(), window, last.size()));
    out.append(String.format("%-32s %12s %12s %12s %9s  %s%n",
        "figure", "first_mean", "last_mean", "growth", "growth_%", "not flat above"));
    List<String> grown = new ArrayList<>();
    for (Figure f : Figure.values()) {
      double a = mean(first, f);
      double b = mean(last, f);
      double g = b - a;
      double pct = a == 0 ? (g == 0 ? 0 : Double.POSITIVE_INFINITY) : 100 * g / a;
      boolean notFlat = g > f.absolute && g > f.relative * Math.abs(a);
      if (notFlat) {
        grown.add(f.label);
      }
      out.append(String.format("%-32s %12.1f %12.1f %+12.1f %+9.1f  +%.0f%% and +%.0f%s%n",
          f.label, a, b, g, pct, f.relative * 100, f.absolute, notFlat ? "  NOT FLAT" : ""));
    }
    out.append(grown.isEmpty()
        ? "VERDICT flat: no figure grew past its threshold\n"
        : "VERDICT not flat: " + String.join(", ", grown) + "\n");
    return grown.isEmpty();
  }

  private static double mean(List<Sample> s, Figure f) {
    return s.stream().mapToDouble(x -> x.values()[f.ordinal()]).average().orElse(Double.NaN);
  }
}
