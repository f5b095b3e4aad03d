package org.lotusia.libp2p.protocol.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.EOFException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.AddressScope;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.internal.proto.NatProto.HolePunch;
import org.lotusia.libp2p.internal.transport.TcpAddress;
import org.lotusia.libp2p.testing.FuzzSeeds;
import org.lotusia.libp2p.testing.ScriptedStream;

/**
 * Fuzzes the DCUtR messages as the side that answers a hole punch reads them (specs/relay/DCUtR.md):
 * a CONNECT, then a SYNC, from one stream. The first input byte picks whether private addresses
 * are allowed (bit 0), the rest is the byte stream. Seeds are the exchanges of the DCUtR tests.
 *
 * <p>Contract: each read completes at once (the stream's bytes are all there), with a message of
 * the type asked for and no more addresses than the limit, or fails with {@link
 * ProtocolViolationException} or {@link EOFException} only; the addresses taken from a CONNECT are
 * distinct TCP addresses with an IP literal and a port, never a relay circuit, and public unless
 * private ones are allowed.
 */
class HolePunchFuzzTest {

  private static final PeerId REMOTE =
      PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[32]).publicKey());
  private static final DcutrConfig CONFIG =
      DcutrConfig.builder().maxAddresses(8).maxMessageSize(1024).build();

  @FuzzTest(maxDuration = "30s")
  void relayedStreamBytes(byte[] input) {
    if (input.length > 0) {
      run(input);
    }
  }

  /** The seeds mean something: a valid exchange yields its public address and the SYNC. */
  @Test
  void theValidSeedGivesItsAddressAndTheSync() {
    assertThat(run(FuzzSeeds.read(HolePunchFuzzTest.class, "relayedStreamBytes", "connect-sync")))
        .containsExactly(Multiaddr.parse("/ip4/198.51.100.7/tcp/4001"));
  }

  /** Runs one input; returns the punchable addresses of the CONNECT (empty when refused). */
  static List<Multiaddr> run(byte[] input) {
    boolean allowPrivate = (input[0] & 1) != 0;
    ScriptedStream s =
        new ScriptedStream(
            Arrays.copyOfRange(input, 1, input.length),
            ScriptedStream.connection(REMOTE, Multiaddr.parse("/ip4/192.0.2.9/tcp/4001/p2p-circuit")),
            Dcutr.PROTOCOL);
    HolePunch connect = outcome(HolePunchCodec.read(s, HolePunch.Type.CONNECT, CONFIG), HolePunch.Type.CONNECT);
    if (connect == null) {
      return List.of();
    }
    List<Multiaddr> addrs = HolePunchCodec.addresses(connect, allowPrivate);
    assertThat(new HashSet<>(addrs)).hasSameSizeAs(addrs);
    for (Multiaddr a : addrs) {
      assertThat(a.has(MultiaddrProtocol.P2P_CIRCUIT)).isFalse();
      assertThat(a.peerId()).isEmpty();
      TcpAddress tcp = TcpAddress.of(a).orElseThrow();
      assertThat(tcp.port()).isPositive();
      assertThat(tcp.hostProtocol()).isIn("ip4", "ip6");
      assertThat(tcp.rest()).isEmpty();
      if (!allowPrivate) {
        assertThat(AddressScope.of(a)).isEqualTo(AddressScope.PUBLIC);
      }
    }
    outcome(HolePunchCodec.read(s, HolePunch.Type.SYNC, CONFIG), HolePunch.Type.SYNC);
    return addrs;
  }

  private static HolePunch outcome(CompletableFuture<HolePunch> f, HolePunch.Type expected) {
    assertThat(f).as("completes at once").isDone();
    try {
      HolePunch m = f.join();
      assertThat(m.getType()).isEqualTo(expected);
      assertThat(m.getObsAddrsCount()).isLessThanOrEqualTo(CONFIG.maxAddresses());
      return m;
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOfAny(ProtocolViolationException.class, EOFException.class);
      return null;
    }
  }
}
