package org.lotusia.libp2p.netlab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A user-space Ethernet switch that delays every frame, run by {@link ShapedLan} in the lab's switch
 * namespace: one {@link TapDevice} per port, MAC learning, broadcast and unknown destinations
 * flooded, and each frame from port {@code a} to port {@code b} held for a delay drawn uniformly from
 * {@code [delay - jitter, delay + jitter]}. The kernels of this project's machines have no {@code
 * netem}; this does its job for delay and jitter (loss, rate and partitions stay in the kernel:
 * nftables and {@code tbf}).
 *
 * <p>Frames of one path (port pair) never overtake each other: a frame is due no earlier than the
 * one before it on that path, as on a real link where jitter comes from queueing. (netem reorders
 * under jitter unless told not to; TCP over such a link spends its time on spurious retransmits.)
 * At most {@value #MAX_QUEUED} frames are held; a frame beyond that is dropped and counted, as a
 * full router queue does.
 *
 * <p>Arguments: the TAP device names, one per port. Commands on standard input (answers start with
 * {@value LabProcess#PREFIX}): {@code shape <delayMs> <jitterMs>}, {@code stats}, {@code quit}.
 * Events: {@code ready}.
 *
 * <p>Threading: one reader thread per port blocks on its device; one delivery thread writes due
 * frames; the queue and the per-path clocks are guarded by one lock.
 */
public final class DelaySwitch {

  static final int MAX_QUEUED = 20_000;

  private record Frame(long due, int port, byte[] data) {}

  private final TapDevice[] ports;
  private final Map<Long, Integer> macs = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Frame> queue =
      new PriorityQueue<>((x, y) -> Long.compare(x.due(), y.due()));
  private final long[][] lastDue;
  private volatile long delayNanos;
  private volatile long jitterNanos;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private int maxQueued; // guarded by lock

  private DelaySwitch(TapDevice[] ports) {
    this.ports = ports;
    this.lastDue = new long[ports.length][ports.length];
  }

  /** Runs the switch; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    TapDevice[] ports = new TapDevice[args.length];
    for (int i = 0; i < args.length; i++) {
      ports[i] = TapDevice.attach(args[i]);
    }
    DelaySwitch sw = new DelaySwitch(ports);
    for (int i = 0; i < ports.length; i++) {
      int port = i;
      Thread t = new Thread(() -> sw.readLoop(port), "switch-port-" + i);
      t.setDaemon(true);
      t.start();
    }
    Thread out = new Thread(sw::deliverLoop, "switch-deliver");
    out.setDaemon(true);
    out.start();
    say("ready " + ports.length);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      switch (w[0]) {
        case "shape" -> {
          long d = Long.parseLong(w[1]);
          long j = Long.parseLong(w[2]);
          if (d < 0 || j < 0 || j > d) {
            say("shape error delay and jitter are >= 0 ms with jitter <= delay, got " + d + " " + j);
          } else {
            sw.delayNanos = TimeUnit.MILLISECONDS.toNanos(d);
            sw.jitterNanos = TimeUnit.MILLISECONDS.toNanos(j);
            say("shape " + d + " " + j);
          }
        }
        case "stats" -> say(sw.stats());
        case "quit" -> {
          say("quit");
          System.exit(0);
        }
        default -> say("error unknown command " + w[0]);
      }
    }
    System.exit(0);
  }

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(LabProcess.PREFIX + line);
      System.out.flush();
    }
  }

  private String stats() {
    int max;
    int now;
    lock.lock();
    try {
      max = maxQueued;
      now = queue.size();
    } finally {
      lock.unlock();
    }
    return "stats forwarded=" + forwarded.get() + " dropped=" + dropped.get() + " late="
        + late.get() + " queued=" + now + " maxQueued=" + max;
  }

  private static long mac(byte[] b, int off) {
    long m = 0;
    for (int i = 0; i < 6; i++) {
      m = (m << 8) | (b[off + i] & 0xff);
    }
    return m;
  }

  private void readLoop(int port) {
    byte[] buf = new byte[TapDevice.MAX_FRAME];
    while (true) {
      int n = ports[port].read(buf);
      if (n < 0) {
        return;
      }
      if (n < 14) {
        continue; // not an Ethernet frame
      }
      long now = System.nanoTime();
      macs.put(mac(buf, 6), port);
      byte[] frame = java.util.Arrays.copyOf(buf, n);
      boolean group = (buf[0] & 1) != 0;
      Integer to = group ? null : macs.get(mac(buf, 0));
      if (to != null) {
        if (to != port) {
          enqueue(now, port, to, frame);
        }
      } else {
        for (int p = 0; p < ports.length; p++) {
          if (p != port) {
            enqueue(now, port, p, frame);
          }
        }
      }
    }
  }

  private void enqueue(long now, int from, int to, byte[] frame) {
    long j = jitterNanos;
    long d = delayNanos + (j == 0 ? 0 : ThreadLocalRandom.current().nextLong(-j, j + 1));
    lock.lock();
    try {
      if (queue.size() >= MAX_QUEUED) {
        dropped.incrementAndGet();
        return;
      }
      long due = Math.max(now + d, lastDue[from][to]);
      lastDue[from][to] = due;
      queue.add(new Frame(due, to, frame));
      maxQueued = Math.max(maxQueued, queue.size());
      if (queue.peek().due() == due) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void deliverLoop() {
    while (true) {
      Frame f;
      lock.lock();
      try {
        while (true) {
          Frame head = queue.peek();
          long wait = head == null ? Long.MAX_VALUE : head.due() - System.nanoTime();
          if (head != null && wait <= 0) {
            f = queue.poll();
            break;
          }
          changed.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      if (System.nanoTime() - f.due() > TimeUnit.MILLISECONDS.toNanos(5)) {
        late.incrementAndGet(); // the machine was too busy to keep the schedule: visible in stats
      }
      if (ports[f.port()].write(f.data(), f.data().length)) {
        forwarded.incrementAndGet();
      } else {
        dropped.incrementAndGet();
      }
    }
  }
}
