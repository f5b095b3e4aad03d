package org.lotusia.libp2p.bench;

import io.netty.channel.embedded.EmbeddedChannel;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.noise.NoiseHandler;
import org.lotusia.libp2p.internal.noise.NoiseSecurity;

/**
 * Complete Noise XX handshakes per second in memory, both sides in one thread over two {@link
 * EmbeddedChannel}s: per handshake, two ephemeral keys, six X25519 operations, two identity
 * signature verifications, the pipeline and the dialer's peer ID check. Each side uses one shared
 * {@link NoiseSecurity} (static key and signed payload made once), as a host does.
 *
 * <p>Usage: {@code NoiseHandshakeBench [seconds per round, default 5] [rounds, default 1]}. A
 * second figure gives the cost per side, as half of the per-handshake time; the best round is
 * printed last.
 */
public final class NoiseHandshakeBench {

  private NoiseHandshakeBench() {}

  /** Runs the benchmark; see the class comment for arguments. */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    System.out.printf(
        "# NoiseHandshakeBench java %s, %d cores%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    for (KeyType type : new KeyType[] {KeyType.ED25519, KeyType.SECP256K1}) {
      run(type, Math.max(1, seconds / 2), false);
      double best = 0;
      for (int r = 0; r < rounds; r++) {
        best = Math.max(best, run(type, seconds, true));
      }
      System.out.printf(
          "BEST   | noise XX handshake %-9s | %8.0f handshakes/s | %6.0f us per side%n",
          type, best, 1e6 / best / 2);
    }
  }

  private static double run(KeyType type, double seconds, boolean print) {
    IdentityPrivateKey idA = Keys.generate(type);
    IdentityPrivateKey idB = Keys.generate(type);
    PeerId peerB = PeerId.fromPublicKey(idB.publicKey());
    NoiseSecurity a = NoiseSecurity.builder(idA).build();
    NoiseSecurity b = NoiseSecurity.builder(idB).build();
    long count = 0;
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    long now;
    do {
      NoiseHandler ha = a.newInitiator(peerB);
      NoiseHandler hb = b.newResponder();
      EmbeddedChannel ca = new EmbeddedChannel(ha);
      EmbeddedChannel cb = new EmbeddedChannel(hb);
      Object o;
      boolean moved;
      do {
        moved = false;
        while ((o = ca.readOutbound()) != null) {
          cb.writeInbound(o);
          moved = true;
        }
        while ((o = cb.readOutbound()) != null) {
          ca.writeInbound(o);
          moved = true;
        }
      } while (moved);
      if (ha.session().isCompletedExceptionally() || !hb.session().isDone()) {
        throw new IllegalStateException("handshake failed");
      }
      ca.finishAndReleaseAll();
      cb.finishAndReleaseAll();
      count++;
      now = System.nanoTime();
    } while (now < end);
    double perSecond = count / ((now - t0) / 1e9);
    if (print) {
      System.out.printf(
          "RESULT | noise XX handshake %-9s | %8.0f handshakes/s (both sides, one thread)"
              + " | %6.0f us per side%n",
          type, perSecond, 1e6 / perSecond / 2);
    }
    return perSecond;
  }
}
