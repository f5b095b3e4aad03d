package org.lotusia.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.EOFException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.internal.proto.NatProto.V1Message;
import org.lotusia.libp2p.internal.proto.NatProto.V2Message;
import org.lotusia.libp2p.testing.FuzzSeeds;
import org.lotusia.libp2p.testing.ScriptedStream;

/**
 * Fuzzes the AutoNAT v1 and v2 clients with what a server answers. The first input byte picks the
 * version (bit 0: v2), the rest is the server's byte stream. Seeds are the answers of the AutoNAT
 * tests: dialled, refused, dial error, dial data asked for, malformed.
 *
 * <p>Contract: the probe completes once the answer is read, with a result about the addresses it
 * sent (v2 never reports reachable without the nonce arriving on a dial-back, which never happens
 * here) or fails with {@link ProtocolViolationException}, {@link EOFException} or, v2, a refusal
 * of the dial data asked for; the stream is closed or reset; the client sends one request and, v2,
 * never more dial data than {@link AutoNatConfig#maxDialDataToSend()} for the probe.
 */
class AutoNatClientFuzzTest {

  static final PeerId SERVER = PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[32]).publicKey());
  static final PeerId SELF =
      PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).publicKey());
  static final List<Multiaddr> ADDRS =
      List.of(
          Multiaddr.parse("/ip4/198.51.100.7/tcp/4001"),
          Multiaddr.parse("/ip4/198.51.100.7/tcp/4002/ws"));
  static final int MAX_DIAL_DATA = 10_000;
  static final AutoNatConfig CONFIG = AutoNatConfig.builder().maxDialDataToSend(MAX_DIAL_DATA).build();

  @FuzzTest(maxDuration = "30s")
  void serverBytes(byte[] input) throws Exception {
    if (input.length > 0) {
      run(input);
    }
  }

  /** The seeds mean something: a v1 OK answer makes the reported address reachable. */
  @Test
  void theV1OkSeedIsReachable() throws Exception {
    ProbeResult r = run(FuzzSeeds.read(AutoNatClientFuzzTest.class, "serverBytes", "v1-ok"));
    assertThat(r.outcome()).isEqualTo(Verdict.REACHABLE);
    assertThat(r.addresses()).containsExactly(ADDRS.get(1));
  }

  /**
   * Found by this fuzz test: a v2 server that asked for dial data again after it was paid made the
   * client pay again, without bound; {@link AutoNatConfig#maxDialDataToSend()} is per probe.
   */
  @Test
  void dialDataAskedForTwiceIsPaidOnlyUpToTheLimit() throws Exception {
    run(FuzzSeeds.read(AutoNatClientFuzzTest.class, "serverBytes", "v2-dial-data-asked-twice"));
  }

  /** Runs one input; returns the probe's result, or null when it failed as documented. */
  static ProbeResult run(byte[] input) throws Exception {
    boolean v2 = (input[0] & 1) != 0;
    ScriptedStream s =
        ScriptedStream.outbound(
            Arrays.copyOfRange(input, 1, input.length),
            SERVER,
            Multiaddr.parse("/ip4/192.0.2.44/tcp/4001"),
            v2 ? AutoNat.V2_DIAL_REQUEST : AutoNat.V1);
    CompletableFuture<ProbeResult> f =
        v2 ? new V2Client(CONFIG).check(s.connection(), ADDRS) : V1Client.check(s.connection(), SELF, ADDRS);

    assertThat(f).as("the probe ends with the answer").isDone();
    assertThat(s.wasClosed() || s.wasReset()).as("the stream is finished").isTrue();
    List<byte[]> sent = ScriptedStream.lengthPrefixedMessages(s.written());
    assertThat(sent).isNotEmpty();
    long dialData = 0;
    for (int i = 0; i < sent.size(); i++) {
      if (v2) {
        V2Message m = V2Message.parseFrom(sent.get(i));
        assertThat(i == 0 ? m.hasDialRequest() : m.hasDialDataResponse()).isTrue();
        dialData += m.getDialDataResponse().getData().size();
      } else {
        assertThat(sent).hasSize(1);
        assertThat(V1Message.parseFrom(sent.get(i)).hasDial()).isTrue();
      }
    }
    long chunks = (MAX_DIAL_DATA + AutoNat.MAX_DIAL_DATA_CHUNK - 1) / AutoNat.MAX_DIAL_DATA_CHUNK;
    assertThat(dialData)
        .as("dial data paid for one probe")
        .isLessThanOrEqualTo(chunks * AutoNat.MAX_DIAL_DATA_CHUNK);
    ProbeResult r;
    try {
      r = f.join();
    } catch (CompletionException e) {
      assertThat(e.getCause())
          .isInstanceOfAny(
              ProtocolViolationException.class,
              EOFException.class,
              V2Client.DialDataRefusedException.class);
      return null;
    }
    assertThat(r.server()).isEqualTo(SERVER);
    assertThat(r.version()).isEqualTo(v2 ? 2 : 1);
    assertThat(ADDRS).containsAll(r.addresses());
    if (v2) {
      assertThat(r.outcome()).as("no nonce arrived").isNotEqualTo(Verdict.REACHABLE);
    }
    return r;
  }
}
