package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.swapsig.crypto.DestinationCipher;
import org.lotusia.swapsig.crypto.PoolDigests;
import org.lotusia.swapsig.plan.RingLayout;
import org.lotusia.swapsig.testing.MemoryNet;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.DestinationReveal;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.ParticipantRegistration;

/**
 * The participant order every member derives from a roster, and the reveal checks of a co-signer:
 * a destination is accepted only when it decrypts under the co-signer's key and matches the
 * commitment its owner registered before the roster was known.
 */
class RevealAndOrderTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String POOL = "c3".repeat(32);
  private final SecureRandom random = new SecureRandom();
  private final MemoryNet net = new MemoryNet();

  /** One member's secrets and registration. */
  private record M(
      PrivateKey signer, DestinationCipher.KeyPair enc, byte[] salt, Script dest, ParticipantRegistration reg) {}

  @AfterEach
  void close() {
    net.close();
  }

  @Test
  void orderIsTheSortOfPoolTaggedSignerKeysWhateverTheRosterOrder() {
    PoolAnnouncement a = announcement();
    List<ParticipantRegistration> regs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      regs.add(member(a, i).reg());
    }
    List<ParticipantRegistration> first = RosterOrder.order(POOL, regs);
    for (int k = 0; k < 5; k++) {
      List<ParticipantRegistration> shuffled = new ArrayList<>(regs);
      Collections.shuffle(shuffled, random);
      assertThat(RosterOrder.order(POOL, shuffled)).containsExactlyElementsOf(first);
    }
    byte[] pool = HEX.parseHex(POOL);
    for (int i = 1; i < first.size(); i++) {
      byte[] prev = Hashes.sha256(pool, first.get(i - 1).signerKey());
      byte[] next = Hashes.sha256(pool, first.get(i).signerKey());
      assertThat(java.util.Arrays.compareUnsigned(prev, next)).isNegative();
    }
    // another pool orders the same keys differently (with overwhelming probability for 10 keys)
    assertThat(RosterOrder.order("d4".repeat(32), regs)).isNotEqualTo(first);
  }

  @Test
  void revealsMustDecryptAndMatchTheRegisteredCommitment() {
    PoolAnnouncement a = announcement();
    List<M> ms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ms.add(member(a, i));
    }
    List<ParticipantRegistration> ordered = RosterOrder.order(POOL, ms.stream().map(M::reg).toList());
    List<M> byIndex = new ArrayList<>();
    for (ParticipantRegistration r : ordered) {
      byIndex.add(ms.stream().filter(m -> m.reg().equals(r)).findFirst().orElseThrow());
    }
    int me = 1;
    M self = byIndex.get(me);
    RoundContext ctx =
        new RoundContext(a, 1, ordered, RosterOrder.plan(a, ordered), me, self.signer(), self.enc(), null, self.salt());
    RingLayout ring = ctx.plan().layout();
    List<Integer> signed = ring.outputsSignedBy(me);
    assertThat(signed).hasSize(2);
    int honest = ring.receiver(signed.get(0));
    int liar = ring.receiver(signed.get(1));

    List<String> failures = new ArrayList<>();
    List<Map<Integer, Script>> done = new ArrayList<>();
    Services svc =
        new Services(net.node("me").swapNetwork(), null, null, SwapSigConfig.defaults(), null, Runnable::run,
            new EventSink(Runnable::run), random, null);
    RevealStage stage =
        new RevealStage(svc, ctx, new RevealStage.Host() {
          @Override
          public void revealed(Map<Integer, Script> destinations) {
            done.add(destinations);
          }

          @Override
          public void fail(String reason) {
            failures.add(reason);
          }
        });

    // a reveal sealed to another key does not open
    stage.onReveal(reveal(ctx, byIndex.get(liar), liar, byIndex.get(liar).dest(), DestinationCipher.generate(random).publicKey()));
    assertThat(failures).singleElement().asString().contains("does not decrypt");
    failures.clear();

    // the honest reveal opens and matches
    stage.onReveal(reveal(ctx, byIndex.get(honest), honest, byIndex.get(honest).dest(), self.enc().publicKey()));
    assertThat(failures).isEmpty();
    assertThat(done).isEmpty();

    // the other receiver reveals a destination it never committed to
    Script other = Scripts.p2pkh(PrivateKey.random(random).publicKey());
    stage.onReveal(reveal(ctx, byIndex.get(liar), liar, other, self.enc().publicKey()));
    assertThat(failures).singleElement().asString().contains("does not match its commitment");
    assertThat(done).isEmpty();

    // its committed destination completes the round
    stage.onReveal(reveal(ctx, byIndex.get(liar), liar, byIndex.get(liar).dest(), self.enc().publicKey()));
    assertThat(done).singleElement().satisfies(d -> {
      assertThat(d.get(signed.get(0))).isEqualTo(byIndex.get(honest).dest());
      assertThat(d.get(signed.get(1))).isEqualTo(byIndex.get(liar).dest());
    });
  }

  private DestinationReveal reveal(RoundContext ctx, M from, int index, Script dest, byte[] sealTo) {
    String senderKey = HEX.formatHex(from.signer().publicKeyBytes());
    byte[] aad = DestinationReveal.associatedData(POOL, ctx.round(), senderKey, ctx.myKeyHex());
    byte[] plain = ByteBuffer.allocate(32 + dest.bytes().length).put(from.salt()).put(dest.bytes()).array();
    DestinationCipher.Sealed sealed = DestinationCipher.seal(sealTo, plain, aad, random);
    return new DestinationReveal(POOL, ctx.round(), index, senderKey, ctx.myKeyHex(),
        HEX.formatHex(sealed.ephemeralKey()), HEX.formatHex(sealed.ciphertext()), System.currentTimeMillis(), null);
  }

  private PoolAnnouncement announcement() {
    return PoolAnnouncement.create(POOL, PoolHarness.params(3).build(), System.currentTimeMillis(), "creator",
        PrivateKey.random(random));
  }

  private M member(PoolAnnouncement a, int i) {
    PrivateKey signer = PrivateKey.random(random);
    PrivateKey input = PrivateKey.random(random);
    DestinationCipher.KeyPair enc = DestinationCipher.generate(random);
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    Script dest = Scripts.p2pkh(PrivateKey.random(random).publicKey());
    byte[] txid = new byte[32];
    random.nextBytes(txid);
    ParticipantRegistration reg =
        new ParticipantRegistration(POOL, "peer-" + i, HEX.formatHex(signer.publicKeyBytes()), HEX.formatHex(txid), 0,
            HEX.formatHex(input.publicKeyBytes()), PoolHarness.FUNDING, "00".repeat(64),
            HEX.formatHex(PoolDigests.destinationCommitment(a.poolId(), dest.bytes(), salt)),
            HEX.formatHex(enc.publicKey()), System.currentTimeMillis(), null);
    return new M(signer, enc, salt, dest, reg);
  }
}
