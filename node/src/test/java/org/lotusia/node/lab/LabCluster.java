package org.lotusia.node.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.lotusia.libp2p.netlab.LabProcess;
import org.lotusia.libp2p.netlab.ShapedLan;

/**
 * {@code n} {@link LabCoordinator} processes, one per host of a {@link ShapedLan}, connected to each
 * other (each dials every node before it). Closing stops the processes and removes the lab.
 */
final class LabCluster implements AutoCloseable {

  static final Duration STEP = Duration.ofSeconds(120);

  final ShapedLan lan;
  final List<LabProcess> nodes = new ArrayList<>();
  final List<String> peerIds = new ArrayList<>();
  final List<String> addrs = new ArrayList<>();
  final List<String> signerKeys = new ArrayList<>();

  private final List<List<String>> args = new ArrayList<>();

  LabCluster(int n, ShapedLan.Shape shape) throws Exception {
    this(n, shape, List.of());
  }

  /** A cluster whose node i keeps its state in {@code dataDirs.get(i)} where one is given. */
  LabCluster(int n, ShapedLan.Shape shape, List<Path> dataDirs) throws Exception {
    lan = new ShapedLan(n);
    try {
      lan.shape(shape);
      for (int i = 0; i < n; i++) {
        List<String> a = new ArrayList<>(List.of(lan.ip(i), "4001"));
        if (i < dataDirs.size()) {
          a.add(dataDirs.get(i).toString());
        }
        args.add(a);
        nodes.add(LabProcess.start(lan.host(i), LabCoordinator.class, a));
      }
      for (LabProcess p : nodes) {
        String[] ready = p.expect("ready", STEP).split(" ");
        peerIds.add(ready[1]);
        addrs.add(ready[2] + "/p2p/" + ready[1]);
        signerKeys.add(ready[3]);
      }
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          nodes.get(i).send("connect " + addrs.get(j));
        }
      }
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          String answer = nodes.get(i).expect("connect", STEP);
          if (!answer.equals("connect ok")) {
            throw new IllegalStateException("node " + i + ": " + answer);
          }
        }
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /**
   * Kills node {@code i} with SIGKILL (no shutdown of any kind) and starts it again with the same
   * arguments, in the same namespace; returns its {@code ready} line's words.
   */
  String[] killAndRestart(int i) throws Exception {
    nodes.get(i).kill();
    nodes.get(i).close();
    LabProcess p = LabProcess.start(lan.host(i), LabCoordinator.class, args.get(i));
    nodes.set(i, p);
    return p.expect("ready", STEP).split(" ");
  }

  LabProcess node(int i) {
    return nodes.get(i);
  }

  int size() {
    return nodes.size();
  }

  /** Subscribes every node to {@code topic}. */
  void subscribeAll(String topic) throws IOException, InterruptedException {
    for (LabProcess p : nodes) {
      p.send("subscribe " + topic);
    }
    for (LabProcess p : nodes) {
      String a = p.expect("subscribe", STEP);
      if (!a.equals("subscribe ok")) {
        throw new IllegalStateException(a);
      }
    }
  }

  /** Waits until node {@code i} answers {@code command} with a line {@code match} accepts. */
  String poll(int i, String command, Predicate<String> match, Duration deadline) {
    AtomicReference<String> last = new AtomicReference<>();
    await("node " + i + " answers '" + command + "' as wanted (log " + nodes.get(i).log() + ")")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> {
          last.set(nodes.get(i).call(command, STEP));
          return match.test(last.get());
        });
    return last.get();
  }

  /** How many answer lines of node {@code i} so far equal {@code line}. */
  long count(int i, String line) {
    return nodes.get(i).history().stream().filter(line::equals).count();
  }

  /** Every answer line of node {@code i} so far that starts with {@code prefix}. */
  List<String> lines(int i, String prefix) {
    return nodes.get(i).history().stream().filter(s -> s.startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    for (LabProcess p : nodes) {
      p.close();
    }
    lan.close();
  }
}
