package org.lotusia.node.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.netlab.ShapedLan.Shape;

/**
 * Eight coordinators in namespaces of their own split 5/3 by a partition (every packet between the
 * groups dropped silently, as a broken uplink does), then healed: each side keeps delivering direct
 * and topic messages within itself; after healing every node is connected to every other again,
 * the topic mesh re-forms (every node sees the 7 others and a message published then reaches all),
 * the DHT serves the record updated during the partition to every node, and no message reached an
 * application twice, while every direct message whose send was reported successful arrived.
 *
 * <p>The partition lasts {@code -Dlab.partition.seconds} (10 s by default, to keep CI short; the
 * issue's full scenario is 30 s). Skipped with the reason where namespaces cannot be made, a
 * failure in CI.
 */
class PartitionLabTest {

  /** Rounds of traffic within each side during the partition (see where it is used). */
  private static final int MAX_ROUNDS = 60;

  @Test
  @Timeout(900)
  void bothSidesKeepWorkingAndEverythingConvergesAfterHealing() throws Exception {
    LabRequirement.require();
    int n = 8;
    int seconds = Integer.getInteger("lab.partition.seconds", 10);
    List<Integer> a = List.of(0, 1, 2, 3, 4);
    List<Integer> b = List.of(5, 6, 7);
    try (LabCluster c = new LabCluster(n, new Shape(20, 5, 0, 0))) {
      c.subscribeAll("lab-p");
      for (int i = 0; i < n; i++) {
        c.poll(i, "topicpeers lab-p", s -> s.equals("topicpeers " + (n - 1)), LabCluster.STEP);
      }
      assertThat(c.node(0).call("announce lab-res r2 before", LabCluster.STEP))
          .isEqualTo("announce ok");
      for (int i = 1; i < n; i++) {
        c.poll(i, "discover lab-res r2", "discover before"::equals, LabCluster.STEP);
      }

      long cut = System.nanoTime();
      c.lan.partition(Set.copyOf(a), Set.copyOf(b));

      // across the partition: a send either fails or, if reported sent, must arrive in the end
      c.node(1).send("send " + c.peerIds.get(6) + " x-1-6");
      c.node(6).send("send " + c.peerIds.get(1) + " x-6-1");
      // each side on its own, round after round until the partition ends: direct messages and
      // topic messages within the side all arrive
      // At most MAX_ROUNDS rounds, then the partition is held without traffic: each round queues
      // one message of every author on the silently broken links to the other side, and they all
      // arrive at once when it heals. Beyond the topic burst of the security limits (100) such a
      // burst is refused as over its author's topic rate, and the warnings temp-ban honest authors.
      int rounds = 0;
      do {
        if (rounds < MAX_ROUNDS) {
          sideRound(c, a, rounds);
          sideRound(c, b, rounds);
          rounds++;
        } else {
          Thread.sleep(100);
        }
      } while (System.nanoTime() - cut < Duration.ofSeconds(seconds).toNanos());
      // the record changes on side A; side A sees the new value at once
      assertThat(c.node(0).call("announce lab-res r2 during", LabCluster.STEP))
          .isEqualTo("announce ok");
      c.poll(2, "discover lab-res r2", "discover during"::equals, LabCluster.STEP);

      System.out.printf("partition held for %d ms, %d rounds within each side%n",
          (System.nanoTime() - cut) / 1_000_000, rounds);
      c.lan.heal();

      // after healing: meshes, connections and the DHT converge
      for (int i = 0; i < n; i++) {
        c.poll(i, "topicpeers lab-p", s -> s.equals("topicpeers " + (n - 1)), LabCluster.STEP);
        c.poll(i, "peers", s -> s.equals("peers " + (n - 1)), LabCluster.STEP);
      }
      for (int i = 0; i < n; i++) {
        c.node(i).send("publish lab-p h-" + i);
      }
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          if (i != j) {
            String topic = "topic lab-p h-" + i;
            c.node(j).await(topic, topic::equals, LabCluster.STEP);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        c.poll(i, "discover lab-res r2", "discover during"::equals, LabCluster.STEP);
      }

      // nothing twice; every send reported as done arrived
      for (int i = 0; i < n; i++) {
        List<String> delivered = new ArrayList<>(c.lines(i, "direct "));
        delivered.addAll(c.lines(i, "topic "));
        assertThat(delivered).as("node %d's deliveries", i).doesNotHaveDuplicates();
      }
      for (int[] x : new int[][] {{1, 6}, {6, 1}}) {
        String result = c.node(x[0]).await("the cross-partition send",
            s -> s.startsWith("send ") && s.contains(" x-" + x[0] + "-" + x[1]), LabCluster.STEP);
        System.out.println("send across the partition: " + result);
        if (result.startsWith("send ok")) {
          String line = "direct " + c.peerIds.get(x[0]) + " x-" + x[0] + "-" + x[1];
          c.node(x[1]).await(line, line::equals, LabCluster.STEP);
        }
      }
      System.out.println("disconnections seen: "
          + IntStream.range(0, n).mapToLong(i -> c.lines(i, "peer-down ").size()).sum());
    }
  }

  /** Every node of {@code side} sends to every other there and publishes; all of it arrives. */
  private static void sideRound(LabCluster c, List<Integer> side, int round) throws Exception {
    for (int i : side) {
      for (int j : side) {
        if (i != j) {
          c.node(i).send("send " + c.peerIds.get(j) + " p" + round + "-" + i + "-" + j);
        }
      }
      c.node(i).send("publish lab-p p" + round + "-" + i);
    }
    for (int j : side) {
      for (int i : side) {
        if (i != j) {
          String line = "direct " + c.peerIds.get(i) + " p" + round + "-" + i + "-" + j;
          c.node(j).await(line, line::equals, LabCluster.STEP);
          String topic = "topic lab-p p" + round + "-" + i;
          c.node(j).await(topic, topic::equals, LabCluster.STEP);
        }
      }
    }
  }
}
