package org.lotusia.libp2p.protocol.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.lotusia.libp2p.Multiaddr;

/** The range checks of {@link GossipSubConfig}; each message names the setting and the value. */
final class ConfigChecks {
  private ConfigChecks() {}

  static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }

  static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  static void mesh(int d, int dlo, int dhi, int dout, int dscore, int dlazy) {
    if (!(0 <= dout && dout <= dlo && dlo <= d && d <= dhi && dout <= d / 2)) {
      throw new IllegalArgumentException(
          "need 0 <= Dout <= Dlo <= D <= Dhi and Dout <= D/2, got D="
              + d
              + " Dlo="
              + dlo
              + " Dhi="
              + dhi
              + " Dout="
              + dout);
    }
    atLeast("Dscore", dscore, 0);
    atLeast("Dlazy", dlazy, 0);
  }

  static void messageCache(int length, int gossip) {
    if (gossip < 1 || gossip > length) {
      throw new IllegalArgumentException(
          "need 1 <= mcacheGossip <= mcacheLength, got " + gossip + " and " + length);
    }
  }

  static void gossip(double factor, int retransmission) {
    if (!(factor >= 0 && factor <= 1)) {
      throw new IllegalArgumentException("gossipFactor must be in [0, 1], got " + factor);
    }
    atLeast("gossipRetransmission", retransmission, 1);
  }

  static void validation(int threads, int queue, int concurrency) {
    atLeast("validationThreads", threads, 1);
    atLeast("validationQueueSize", queue, 1);
    if (concurrency < 1 || concurrency > threads) {
      throw new IllegalArgumentException(
          "need 1 <= validationConcurrency <= validationThreads, got "
              + concurrency
              + " and "
              + threads);
    }
  }

  static void inbound(int perStream, int global) {
    atLeast("inboundQueueBytes", perStream, 1);
    if (global < perStream) {
      throw new IllegalArgumentException(
          "globalInboundQueueBytes ("
              + global
              + ") must be at least inboundQueueBytes ("
              + perStream
              + ")");
    }
  }

  /** A copy of the direct peer addresses, each of which must name its peer. */
  static List<Multiaddr> directPeers(List<Multiaddr> peers) {
    List<Multiaddr> copy = List.copyOf(Objects.requireNonNull(peers, "directPeers"));
    for (Multiaddr a : copy) {
      if (a.peerId().isEmpty()) {
        throw new IllegalArgumentException(
            "a direct peer address must end in /p2p/<peer id>, got " + a);
      }
    }
    return copy;
  }
}
