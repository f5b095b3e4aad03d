package org.lotusia.libp2p.bench;

import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.crypto.IdentityPublicKey;

/**
 * Throughput of identity operations: signing and verification per key type, peer ID parsing and
 * multiaddr parsing. Prints operations per second; not a test.
 *
 * <p>Run: {@code mvn -B -q -pl libp2p -am test-compile} then {@code java -cp
 * libp2p/target/test-classes:libp2p/target/classes:<dependencies>
 * org.lotusia.libp2p.bench.IdentityBench [seconds-per-measurement]}, or through the exec plugin
 * with the test class path.
 */
public final class IdentityBench {

  private IdentityBench() {}

  /**
   * Runs every measurement.
   *
   * @param args optional seconds per measurement (default 3), then an optional case-insensitive
   *     filter on measurement names
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    filter = args.length > 1 ? args[1].toLowerCase(java.util.Locale.ROOT) : "";
    System.out.printf(
        "JDK %s, %d cores%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
    byte[] msg =
        "a 64-byte message, about the size of a Noise handshake payload...."
            .getBytes(StandardCharsets.UTF_8);

    for (KeyType type : KeyType.values()) {
      IdentityPrivateKey key = Keys.generate(type);
      IdentityPublicKey pub = key.publicKey();
      byte[] sig = key.sign(msg);
      measure(type + " sign", seconds, () -> key.sign(msg).length);
      measure(type + " verify", seconds, () -> pub.verify(msg, sig) ? 1 : 0);
    }

    PeerId ed = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    PeerId rsa = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    String edText = ed.toBase58();
    String edCid = ed.toCid();
    String rsaText = rsa.toBase58();
    byte[] edBytes = ed.toBytes();
    measure(
        "PeerId.parse 12D3KooW (Ed25519 inline key)",
        seconds,
        () -> PeerId.parse(edText).hashCode());
    measure("PeerId.parse Qm (sha2-256)", seconds, () -> PeerId.parse(rsaText).hashCode());
    measure("PeerId.parse bafz CID", seconds, () -> PeerId.parse(edCid).hashCode());
    measure("PeerId.fromBytes (Ed25519)", seconds, () -> PeerId.fromBytes(edBytes).hashCode());
    measure(
        "PeerId.fromBytes + toBase58 (uncached)",
        seconds,
        () -> PeerId.fromBytes(edBytes).toBase58().length());

    String addr = "/ip4/192.0.2.1/tcp/4001/p2p/" + edText;
    byte[] addrBytes = Multiaddr.parse(addr).toBytes();
    measure("Multiaddr.parse ip4/tcp/p2p", seconds, () -> Multiaddr.parse(addr).hashCode());
    measure(
        "Multiaddr.fromBytes ip4/tcp/p2p",
        seconds,
        () -> Multiaddr.fromBytes(addrBytes).hashCode());
  }

  private static volatile int sink;
  private static String filter = "";

  private static void measure(String name, double seconds, IntSupplier op) {
    if (!name.toLowerCase(java.util.Locale.ROOT).contains(filter)) {
      return;
    }
    long warmupEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    while (System.nanoTime() < warmupEnd) {
      sink += op.getAsInt();
    }
    long ops = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        sink += op.getAsInt();
      }
      ops += 16;
      now = System.nanoTime();
    } while (now < end);
    double perSecond = ops / ((now - start) / 1e9);
    System.out.printf("%-45s %,14.0f ops/s  (%,.2f us/op)%n", name, perSecond, 1e6 / perSecond);
  }
}
