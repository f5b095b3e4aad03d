package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.testing.MemoryNet;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.RegistrationAck;

/** Every local limit, and hostile or broken input, against one manager without a chain. */
class ManagerLimitsTest {

  private static final HexFormat HEX = HexFormat.of();
  private final MemoryNet net = new MemoryNet();
  private final ChronikClient chronik = ChronikClient.builder().urls("http://127.0.0.1:9").build();
  private final List<SwapSigEvent> events = new CopyOnWriteArrayList<>();
  private final List<P2PMessage> received = new CopyOnWriteArrayList<>();
  private final MemoryNet.Node attacker = net.node("attacker");
  private ExecutorService service;
  private SessionManager sessions;
  private SwapSigManager manager;

  private SwapSigManager manager(SwapSigConfig config) throws Exception {
    MemoryNet.Node node = net.node("victim");
    service = Executors.newSingleThreadExecutor();
    sessions = SessionManager.builder(node.sessionNetwork()).build();
    manager =
        SwapSigManager.builder(node.swapNetwork(), sessions, chronik)
            .config(config)
            .serviceExecutor(service)
            .listener(events::add)
            .build();
    node.attach(manager, sessions);
    attacker.attachRaw((from, m) -> received.add(m));
    manager.start().get(5, TimeUnit.SECONDS);
    return manager;
  }

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close();
      sessions.closeAsync();
      service.shutdownNow();
    }
    chronik.close();
    net.close();
  }

  @Test
  void inboundQueueIsBoundedAndRefusalsAreCounted() throws Exception {
    SwapSigManager m = manager(SwapSigConfig.builder().maxInboundQueue(8).build());
    CountDownLatch hold = new CountDownLatch(1);
    service.execute(() -> {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    int accepted = 0;
    for (int i = 0; i < 20; i++) {
      if (m.deliverDirect("attacker", envelope("swapsig:nope", CanonicalJsonOf.obj()))) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(8);
    assertThat(m.refusedInbound()).isEqualTo(12);
    hold.countDown();
    // still serving
    assertThat(m.createPool(PoolParameters.builder(1_000_000).build()).get(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void brokenAndMisdirectedMessagesAreRejectedAndNamed() throws Exception {
    SwapSigManager m = manager(SwapSigConfig.defaults());
    m.deliverDirect("attacker", envelope(SwapSigMessageTypes.POOL_ABORT, CanonicalJsonOf.obj().put("poolId", "00")));
    m.deliverDirect("attacker", envelope("swapsig:unknown", CanonicalJsonOf.obj()));
    P2PMessage wrongProtocol =
        new P2PMessage(SwapSigMessageTypes.POOL_ABORT, "attacker", null, CanonicalJsonOf.obj(), now(), "id", null, "musig2");
    m.deliverDirect("attacker", wrongProtocol);
    PrivateKey k = PrivateKey.random(new SecureRandom());
    ObjectNode stale =
        new org.lotusia.swapsig.wire.PoolAbort("a1".repeat(32), "x", HEX.formatHex(k.publicKeyBytes()), now() - 3_600_000, null)
            .signedJson(k);
    m.deliverDirect("attacker", envelope(SwapSigMessageTypes.POOL_ABORT, stale));
    ObjectNode unknownPool =
        new org.lotusia.swapsig.wire.PoolAbort("a1".repeat(32), "x", HEX.formatHex(k.publicKeyBytes()), now(), null)
            .signedJson(k);
    m.deliverDirect("attacker", envelope(SwapSigMessageTypes.POOL_ABORT, unknownPool));
    P2PMessage relay =
        new P2PMessage(SwapSigMessageTypes.POOL_ABORT, "attacker", "someone", unknownPool, now(), "id2", null, "swapsig");
    m.deliverDirect("attacker", relay);
    // an envelope without a type (the protocol decoder refuses one; a direct caller may not)
    m.deliverDirect("attacker", envelope(null, unknownPool));
    await().atMost(Duration.ofSeconds(5)).until(() -> rejected().size() >= 7);
    List<SwapSigEvent.MessageRejected> r = rejected();
    assertThat(r).anySatisfy(x -> assertThat(x.reason()).contains("poolId"));
    assertThat(r).anySatisfy(x -> assertThat(x.reason()).contains("unknown message type"));
    assertThat(r).anySatisfy(x -> assertThat(x.reason()).contains("protocol must be swapsig"));
    assertThat(r).anySatisfy(x -> assertThat(x.reason()).contains("clock skew"));
    assertThat(r).anySatisfy(x -> assertThat(x.reason()).contains("no such pool"));
    assertThat(r).anySatisfy(x -> assertThat(x.reason()).contains("relay not allowed"));
    assertThat(r).anySatisfy(x -> assertThat(x.reason()).contains("no type"));
    assertThat(r.stream().filter(x -> x.reason().contains("poolId")).findFirst().orElseThrow().violation()).isTrue();
  }

  @Test
  void forgedOversizedAndForeignAnnouncementsAreNotListed() throws Exception {
    SwapSigManager m = manager(SwapSigConfig.defaults());
    assertThat(m.deliverTopic(SwapSigMessageTypes.POOL_TOPIC, "attacker", new byte[70_000])).isFalse();
    PrivateKey creator = PrivateKey.random(new SecureRandom());
    PoolAnnouncement a =
        PoolAnnouncement.create("b2".repeat(32), PoolParameters.builder(1_000_000).build(), now(), "someone-else", creator);
    // published by another peer than the creator it names
    m.deliverTopic(SwapSigMessageTypes.POOL_TOPIC, "attacker", bytes(a.toJson()));
    // a term changed after signing
    ObjectNode forged = PoolAnnouncement.create("c3".repeat(32), PoolParameters.builder(1_000_000).build(), now(), "attacker", creator).toJson();
    forged.put("denomination", 2_000_000);
    m.deliverTopic(SwapSigMessageTypes.POOL_TOPIC, "attacker", bytes(forged));
    m.deliverTopic(SwapSigMessageTypes.POOL_TOPIC, "attacker", "not json".getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(5)).until(() -> rejected().size() >= 3);
    assertThat(m.discoverPools(PoolFilter.ANY).get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void poolLimitAndBadJoinsAreRefusedWithAReason() throws Exception {
    SwapSigManager m = manager(SwapSigConfig.builder().maxPools(1).build());
    PoolAnnouncement own = m.createPool(PoolParameters.builder(1_000_000).build()).get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> m.createPool(PoolParameters.builder(1_000_000).build()).join())
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("maxPools");
    PrivateKey key = PrivateKey.random(new SecureRandom());
    SwapInput small =
        new SwapInput(OutPoint.fromDisplayHex("11".repeat(32), 0), new TxOutput(1_000_000, Scripts.p2pkh(key.publicKey())), key);
    SwapRequest r = SwapRequest.of(small, Scripts.p2pkh(PrivateKey.random(new SecureRandom()).publicKey()));
    assertThatThrownBy(() -> m.joinPool(own, r).join())
        .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("the pool needs at least 1001300");
    ObjectNode j = own.toJson().put("feeRate", 2);
    assertThatThrownBy(() -> m.joinPool(PoolAnnouncement.decode(j), r).join())
        .hasMessageContaining("signature does not verify");
    assertThatThrownBy(() -> SwapRequest.of(small, small.script()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
  }

  @Test
  void creatorRefusesRegistrationsThatFailTheirChecks() throws Exception {
    SwapSigManager m = manager(SwapSigConfig.defaults());
    PoolAnnouncement pool = m.createPool(PoolHarness.params(3).build()).get(5, TimeUnit.SECONDS);
    PrivateKey signer = PrivateKey.random(new SecureRandom());
    PrivateKey input = PrivateKey.random(new SecureRandom());
    ParticipantRegistration badProof =
        new ParticipantRegistration(pool.poolId(), "attacker", HEX.formatHex(signer.publicKeyBytes()), "11".repeat(32), 0,
            HEX.formatHex(input.publicKeyBytes()), 1_100_000,
            HEX.formatHex(input.signSchnorr(new byte[32])), "33".repeat(32), "44".repeat(32), now(), null);
    attacker.sendRaw("victim", envelope(badProof.type(), badProof.signedJson(signer)));
    ParticipantRegistration otherPeer =
        new ParticipantRegistration(pool.poolId(), "victim", HEX.formatHex(signer.publicKeyBytes()), "11".repeat(32), 0,
            HEX.formatHex(input.publicKeyBytes()), 1_100_000, "22".repeat(64), "33".repeat(32), "44".repeat(32), now(), null);
    attacker.sendRaw("victim", envelope(otherPeer.type(), otherPeer.signedJson(signer)));
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 2);
    List<RegistrationAck> acks =
        received.stream().map(x -> RegistrationAck.decode(x.payload())).toList();
    for (RegistrationAck ack : acks) {
      assertThat(ack.accepted()).isFalse();
      assertThat(ack.verify(pool.creatorPublicKey())).isTrue();
    }
    assertThat(acks).anySatisfy(a -> assertThat(a.reason()).contains("ownership proof does not verify"));
    assertThat(acks).anySatisfy(a -> assertThat(a.reason()).contains("must come from the peer it names"));
  }

  private List<SwapSigEvent.MessageRejected> rejected() {
    return events.stream()
        .filter(e -> e instanceof SwapSigEvent.MessageRejected)
        .map(e -> (SwapSigEvent.MessageRejected) e)
        .toList();
  }

  private static P2PMessage envelope(String type, ObjectNode payload) {
    return new P2PMessage(type, "attacker", null, payload, now(), Long.toHexString(System.nanoTime()), null, "swapsig");
  }

  private static byte[] bytes(ObjectNode n) {
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  /** JSON helpers. */
  static final class CanonicalJsonOf {
    static ObjectNode obj() {
      return org.lotusia.swapsig.wire.CanonicalJson.MAPPER.createObjectNode();
    }
  }

}
