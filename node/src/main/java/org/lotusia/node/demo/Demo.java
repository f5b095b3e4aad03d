package org.lotusia.node.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the demo's steps one after the other on one {@link DemoNetwork} and reports each: readable
 * lines ({@code [2/6] bootstrap ... ok (1.2 s): ...}) with a progress line every {@value
 * #PROGRESS_MILLIS} ms while a step waits, or one JSON object per step. The first failed step ends
 * the run. Unavailable steps are reported and not counted as passed.
 */
public final class Demo {

  static final long PROGRESS_MILLIS = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<DemoStep> steps;
  private final PrintWriter out;
  private final PrintWriter progressOut;
  private final boolean json;
  private final Duration stepTimeout;

  /**
   * A demo run.
   *
   * @param steps the steps, in order
   * @param out where the account goes
   * @param progressOut where progress lines go (readable mode only)
   * @param json one JSON object per step instead of readable lines
   * @param stepTimeout how long a step may wait for a condition
   */
  public Demo(List<DemoStep> steps, PrintWriter out, PrintWriter progressOut, boolean json, Duration stepTimeout) {
    this.steps = List.copyOf(steps);
    this.out = out;
    this.progressOut = progressOut;
    this.json = json;
    this.stepTimeout = stepTimeout;
  }

  /** The outcome of a run. */
  public record Outcome(int passed, int unavailable, String failedStep, String failure) {
    /** Whether every step that ran passed. */
    public boolean ok() {
      return failedStep == null;
    }
  }

  /**
   * Runs the steps.
   *
   * @return how it went
   */
  public Outcome run() {
    long started = System.nanoTime();
    int passed = 0;
    int unavailable = 0;
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "demo-progress");
              t.setDaemon(true);
              return t;
            });
    try (DemoNetwork net = new DemoNetwork(stepTimeout)) {
      for (int i = 0; i < steps.size(); i++) {
        DemoStep step = steps.get(i);
        String label = "[" + (i + 1) + "/" + steps.size() + "] " + step.name();
        AtomicReference<String> progress = new AtomicReference<>("starting");
        long t0 = System.nanoTime();
        var tick =
            json
                ? null
                : ticker.scheduleAtFixedRate(
                    () -> line(progressOut, "      ... " + step.name() + ": " + progress.get()
                        + " (" + seconds(System.nanoTime() - t0) + ")"),
                    PROGRESS_MILLIS, PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
        StepResult r;
        try {
          if (!json) {
            line(out, label + ": " + step.description());
          }
          r = step.run(net, progress::set);
        } catch (Exception | AssertionError e) {
          String why = e.getMessage() == null ? e.toString() : e.getMessage();
          report(step, false, true, System.nanoTime() - t0, why, null);
          return new Outcome(passed, unavailable, step.name(), why);
        } finally {
          if (tick != null) {
            tick.cancel(false);
          }
        }
        long took = System.nanoTime() - t0;
        if (r.available()) {
          passed++;
        } else {
          unavailable++;
        }
        report(step, true, r.available(), took, r.summary(), r);
      }
    } finally {
      ticker.shutdownNow();
    }
    long total = System.nanoTime() - started;
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("step", "summary").put("ok", true).put("passed", passed).put("unavailable", unavailable)
          .put("ms", total / 1_000_000);
      line(out, o.toString());
    } else {
      line(out, "demo finished in " + seconds(total) + ": " + passed + " steps passed"
          + (unavailable > 0 ? ", " + unavailable + " not available in this build" : ""));
    }
    return new Outcome(passed, unavailable, null, null);
  }

  private void report(DemoStep step, boolean ok, boolean available, long nanos, String text, StepResult r) {
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("step", step.name()).put("ok", ok && available).put("available", available)
          .put("ms", nanos / 1_000_000);
      if (!ok) {
        o.put("error", text);
      } else if (!available) {
        o.put("reason", text);
      } else {
        o.put("summary", text);
        o.set("results", JSON.valueToTree(r.details()));
      }
      line(out, o.toString());
    } else {
      String verdict = !ok ? "FAILED" : available ? "ok" : "not available";
      line(out, "      " + verdict + " (" + seconds(nanos) + "): " + text);
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static void line(PrintWriter w, String text) {
    synchronized (w) {
      w.println(text);
      w.flush();
    }
  }
}
