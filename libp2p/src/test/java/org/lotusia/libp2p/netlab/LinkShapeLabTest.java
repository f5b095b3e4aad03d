package org.lotusia.libp2p.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.netlab.ShapedLan.Shape;

/**
 * The shaped links of {@link ShapedLan} do what a scenario asks, measured from inside the
 * namespaces: UDP round trips through the delay switch show the delay, jitter and loss; a TCP
 * transfer shows the rate; a partition drops everything until healed.
 *
 * <p>Tolerances allow for a loaded machine (the switch's own lateness adds to the delay, never
 * subtracts): no round trip is shorter than twice the minimum one-way delay, the mean is within
 * 35 ms of twice the delay, and the loss is within 3.5 standard deviations of what was asked.
 */
class LinkShapeLabTest {

  private static final Duration STEP = Duration.ofSeconds(60);

  @Test
  @Timeout(600)
  void delayJitterLossRateAndPartitionAreWhatWasAsked() throws Exception {
    NatTraversalLabTest.requireLab();
    try (ShapedLan lan = new ShapedLan(3);
        LabProcess echo = LabProcess.start(lan.host(1), LabProbe.class,
            List.of("echo", lan.ip(1), "7000"));
        LabProcess client = LabProcess.start(lan.host(0), LabProbe.class, List.of("client"))) {
      echo.expect("ready", STEP);
      client.expect("ready", STEP);

      // 100 ms ± 20 ms each way, 5 % loss each way: a round trip is 160..240 ms (plus the
      // machine's own scheduling delay), and survives with probability 0.95^2 = 0.9025
      lan.shape(new Shape(100, 20, 5, 0));
      int count = 300;
      Probe p = Probe.parse(client.call("probe " + lan.ip(1) + " 7000 " + count + " 50", STEP));
      double delivered = (double) p.received() / count;
      System.out.printf(java.util.Locale.ROOT,
          "shaped link 100 ms ± 20 ms, 5 %% loss: round trip min %.1f mean %.1f sd %.1f ms, "
              + "delivered %.3f (0.9025 expected); %s%n",
          p.min(), p.mean(), p.stddev(), delivered, lan.switchStats());
      double sd = Math.sqrt(0.9025 * 0.0975 / count);
      assertThat(delivered).as("round trips that survived 5 %% loss each way")
          .isBetween(0.9025 - 3.5 * sd, 0.9025 + 3.5 * sd);
      assertThat(p.min()).as("no round trip beats 2 x 80 ms").isGreaterThanOrEqualTo(159.5);
      assertThat(p.mean()).as("mean round trip, 2 x 100 ms asked").isBetween(190.0, 235.0);
      assertThat(p.stddev()).as("jitter: two uniform ±20 ms draws give 16.3 ms")
          .isBetween(8.0, 35.0);
      assertThat(p.percentile(0.1)).as("the jitter spreads the round trips").isLessThan(190.0);

      // a partition drops every packet between the two groups, in both directions, until healed
      lan.shape(new Shape(5, 0, 0, 0));
      lan.partition(Set.of(0), Set.of(1, 2));
      Probe cut = Probe.parse(client.call("probe " + lan.ip(1) + " 7000 20 50", STEP));
      assertThat(cut.received()).as("round trips across the partition").isZero();
      lan.heal();
      Probe healed = Probe.parse(client.call("probe " + lan.ip(1) + " 7000 20 50", STEP));
      assertThat(healed.received()).as("round trips after healing").isEqualTo(20);

      // 2 Mbit/s: a 1 MB transfer takes about 4 s
      lan.shape(new Shape(0, 0, 0, 2000));
      String tcp = client.call("tcp " + lan.ip(1) + " 7000 1000000", STEP);
      assertThat(tcp).doesNotContain("error");
      long ms = Long.parseLong(tcp.substring(tcp.indexOf("ms=") + 3).trim());
      double kbit = 1_000_000 * 8.0 / ms;
      System.out.printf(java.util.Locale.ROOT, "shaped link 2000 kbit/s: %.0f kbit/s measured%n", kbit);
      assertThat(kbit).as("TCP throughput in kbit/s at a 2000 kbit/s rate (%s)", tcp)
          .isBetween(1400.0, 2150.0);
      assertThat(lan.switchStats()).contains("dropped=0");
    }
  }

  /** The round trips one probe measured, in ms. */
  record Probe(int sent, int received, double[] rtts) {
    static Probe parse(String line) {
      String[] w = line.split(" ");
      int sent = Integer.parseInt(w[1].substring("sent=".length()));
      int received = Integer.parseInt(w[2].substring("received=".length()));
      String list = w.length > 3 ? w[3].substring("rtts=".length()) : "";
      double[] rtts = list.isEmpty() ? new double[0]
          : Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).sorted().toArray();
      return new Probe(sent, received, rtts);
    }

    double min() {
      return rtts[0];
    }

    double mean() {
      return Arrays.stream(rtts).average().orElse(Double.NaN);
    }

    double stddev() {
      double m = mean();
      return Math.sqrt(Arrays.stream(rtts).map(v -> (v - m) * (v - m)).sum() / rtts.length);
    }

    double percentile(double q) {
      return rtts[(int) Math.min(rtts.length - 1, Math.floor(q * rtts.length))];
    }
  }
}
