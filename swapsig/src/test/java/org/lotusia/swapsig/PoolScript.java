package org.lotusia.swapsig;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.crypto.DestinationCipher;
import org.lotusia.swapsig.crypto.PoolDigests;
import org.lotusia.swapsig.wire.DestinationReveal;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.ParticipantDropped;
import org.lotusia.swapsig.wire.PoolAbort;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.PoolMessage;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.RegistrationAck;
import org.lotusia.swapsig.wire.Roster;
import org.lotusia.swapsig.wire.SettlementBroadcast;
import org.lotusia.swapsig.wire.SetupComplete;
import org.lotusia.swapsig.wire.SetupSubmission;

/**
 * The cast of {@link PoolStateFuzzTest} and the messages it makes of fuzz input: two pools (P1
 * hosted by the node under test, P2 created by a remote creator), three other participants with
 * valid registrations for both pools, a stranger, and the node's own participation in P2. Every
 * choice (type, pool, sender, signing key, keys named in the message, rounds, indices, the
 * envelope's recipient, the timestamp) is taken from the input, so the fuzzer reaches signed,
 * well-formed messages that only a state check can refuse. The keys are fixed for the JVM.
 */
final class PoolScript {

  static final long T0 = 1_765_000_000_000L;
  static final long FUNDING = 1_100_000;
  static final String SELF = "12D3KooWSelf";
  static final String CREATOR2 = "12D3KooWCreator2";
  static final String STRANGER = "12D3KooWStranger";
  static final String[] MEMBERS = {"12D3KooWPeerA", "12D3KooWPeerB", "12D3KooWPeerC"};
  static final String P1 = "c1".repeat(32);
  static final String P2 = "c2".repeat(32);
  private static final String OTHER_POOL = "c3".repeat(32);
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One message as it reaches the node: the transport's sender and the envelope. */
  record Step(String sender, P2PMessage envelope, boolean fromJoinedCreator) {}

  /** One announcement from the topic (publisher null: from the DHT). */
  record Topic(JsonNode json, String publisher) {}

  final PrivateKey hostedKey = key();
  final PrivateKey joinedCreatorKey = key();
  final PrivateKey honestSigner = key();
  final PrivateKey strangerKey = key();
  final PrivateKey[] memberSigners = {key(), key(), key()};
  final PrivateKey[] memberInputs = {key(), key(), key()};
  final PoolAnnouncement hostedPool;
  final PoolAnnouncement joinedPool;
  final SwapRequest request = PoolStateFuzzTest.request(key(), key());
  private final PoolAnnouncement forgedPool;
  /** Per pool (P1, P2): the members' registrations, signed. */
  private final ParticipantRegistration[][] registrations = new ParticipantRegistration[2][3];
  private final List<String> keyHexes = new ArrayList<>();
  private final PrivateKey[] signers;
  private volatile ParticipantRegistration honest;

  PoolScript() {
    PoolParameters params = PoolParameters.builder(1_000_000).build();
    hostedPool = PoolAnnouncement.create(P1, params, T0 - 1000, SELF, hostedKey);
    joinedPool = PoolAnnouncement.create(P2, params, T0 - 1000, CREATOR2, joinedCreatorKey);
    PoolAnnouncement other = PoolAnnouncement.create(OTHER_POOL, params, T0 - 1000, CREATOR2, strangerKey);
    forgedPool =
        new PoolAnnouncement(
            OTHER_POOL, params, T0 - 1000, CREATOR2, joinedPool.creatorPublicKey(), other.signature());
    for (int p = 0; p < 2; p++) {
      String pool = p == 0 ? P1 : P2;
      for (int i = 0; i < 3; i++) {
        registrations[p][i] = registration(pool, MEMBERS[i], memberSigners[i], memberInputs[i], i);
      }
    }
    signers =
        new PrivateKey[] {
          hostedKey, joinedCreatorKey, honestSigner, strangerKey, memberSigners[0], memberSigners[1],
          memberSigners[2], memberInputs[0]
        };
    for (PrivateKey k : signers) {
      keyHexes.add(HEX.formatHex(k.publicKeyBytes()));
    }
  }

  String honestKeyHex() {
    return HEX.formatHex(honestSigner.publicKeyBytes());
  }

  /** A network that records what the node sends and learns its registration from it. */
  final class Recorder implements SwapSigNetwork {
    /** Envelopes as sent, with their recipient. */
    final List<Sent> sent = new CopyOnWriteArrayList<>();

    record Sent(String to, P2PMessage envelope) {}

    @Override
    public String localPeerId() {
      return SELF;
    }

    @Override
    public Clock clock() {
      return PoolStateFuzzTest.CLOCK;
    }

    @Override
    public CompletableFuture<Void> send(String peerId, P2PMessage message) {
      sent.add(new Sent(peerId, message));
      if (SwapSigMessageTypes.PARTICIPANT_REGISTERED.equals(message.type())) {
        honest = ParticipantRegistration.decode(message.payload());
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, ObjectNode message) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topic) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> announceResource(String type, String id, ObjectNode data, long exp) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> withdrawResource(String type, String id) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<JsonNode>> findResource(String type, String id) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletableFuture<List<JsonNode>> findResources(String type) {
      return CompletableFuture.completedFuture(List.of());
    }
  }

  Topic topic(FuzzedDataProvider d) {
    PoolAnnouncement a = pick(d, hostedPool, joinedPool, forgedPool);
    String publisher = pick(d, CREATOR2, SELF, STRANGER, null);
    return new Topic(a.toJson(), publisher);
  }

  Step step(FuzzedDataProvider d) {
    List<String> types = PoolStateFuzzTest.types();
    String type = types.get(d.consumeInt(0, types.size() - 1));
    String pool = pick(d, P2, P1, OTHER_POOL);
    String sender = pick(d, CREATOR2, MEMBERS[0], MEMBERS[1], MEMBERS[2], STRANGER, SELF);
    int signer = d.consumeInt(-1, signers.length - 1);
    int round = d.consumeInt(1, 3);
    long ts = d.consumeBoolean() ? T0 : T0 - 3_600_000;
    PoolMessage m = message(d, type, pool, round, ts);
    ObjectNode payload;
    if (signer < 0) {
      payload = m.toJson().put("signature", "00".repeat(64));
    } else {
      payload = m.signedJson(signers[signer]);
    }
    String to = pick(d, null, SELF, MEMBERS[1]);
    P2PMessage env =
        new P2PMessage(type, sender, to, payload, ts, HEX.formatHex(bytes(8)), null, SwapSigMessageTypes.PROTOCOL);
    boolean fromCreator = sender.equals(CREATOR2) && signer == 1 && pool.equals(P2) && ts == T0
        && (to == null || to.equals(SELF));
    return new Step(sender, env, fromCreator);
  }

  private PoolMessage message(FuzzedDataProvider d, String type, String pool, int round, long ts) {
    String key = keyHexes.get(d.consumeInt(0, keyHexes.size() - 1));
    String other = keyHexes.get(d.consumeInt(0, keyHexes.size() - 1));
    int index = d.consumeInt(0, 4);
    String reason = d.consumeBoolean() ? "because" : d.consumeString(40) + "x";
    return switch (type) {
      case SwapSigMessageTypes.PARTICIPANT_REGISTERED -> anyRegistration(d, pool);
      case SwapSigMessageTypes.REGISTRATION_ACK ->
          new RegistrationAck(pool, CREATOR2, key, d.consumeBoolean(), d.consumeBoolean() ? null : reason, ts, null);
      case SwapSigMessageTypes.ROSTER -> {
        List<ParticipantRegistration> regs = new ArrayList<>();
        int mask = d.consumeInt(0, 31);
        for (int i = 0; i < 4; i++) {
          if ((mask & (1 << i)) != 0) {
            regs.add(i == 3 ? honest : registrations[pool.equals(P1) ? 0 : 1][i]);
          }
        }
        if ((mask & 16) != 0) {
          regs.add(anyRegistration(d, pool));
        }
        List<Roster.Exclusion> ex = new ArrayList<>();
        if (d.consumeBoolean()) {
          ex.add(new Roster.Exclusion(other, reason));
        }
        yield new Roster(pool, round, regs.stream().filter(r -> r != null).toList(), ex, ts, null);
      }
      case SwapSigMessageTypes.SETUP_TX_BROADCAST ->
          new SetupSubmission(pool, round, index, key, HEX.formatHex(bytes(32)), hexOf(d, 120), ts, null);
      case SwapSigMessageTypes.SETUP_COMPLETE -> {
        List<String> txs = new ArrayList<>();
        int n = d.consumeInt(0, 5);
        for (int i = 0; i < n; i++) {
          txs.add(hexOf(d, 120));
        }
        yield new SetupComplete(pool, round, txs, ts, null);
      }
      case SwapSigMessageTypes.DESTINATION_REVEAL ->
          new DestinationReveal(pool, round, index, key, other, HEX.formatHex(bytes(32)), hexOf(d, 112), ts, null);
      case SwapSigMessageTypes.SETTLEMENT_TX_BROADCAST ->
          new SettlementBroadcast(pool, round, index, HEX.formatHex(bytes(32)), key, ts, null);
      case SwapSigMessageTypes.POOL_ABORT -> new PoolAbort(pool, reason, key, ts, null);
      case SwapSigMessageTypes.PARTICIPANT_DROPPED ->
          new ParticipantDropped(pool, round, pick(d, MEMBERS[0], SELF), other, reason, key, ts, null);
      default -> throw new IllegalStateException(type);
    };
  }

  /** A member's registration, the node's own, or a fresh one with a field the fuzzer chose. */
  private ParticipantRegistration anyRegistration(FuzzedDataProvider d, String pool) {
    int p = pool.equals(P1) ? 0 : 1;
    int who = d.consumeInt(0, 4);
    if (who < 3) {
      return registrations[p][who];
    }
    if (who == 3 && honest != null) {
      return honest;
    }
    PrivateKey s = memberSigners[d.consumeInt(0, 2)];
    return registration(pool, pick(d, MEMBERS[0], STRANGER, SELF), s, memberInputs[d.consumeInt(0, 2)],
        d.consumeInt(0, 3));
  }

  private static ParticipantRegistration registration(
      String pool, String peer, PrivateKey signer, PrivateKey input, int n) {
    OutPoint in = OutPoint.fromDisplayHex(String.format("%02x", n + 1).repeat(32), n);
    byte[] proof = input.signSchnorr(PoolDigests.ownership(pool, in, signer.publicKeyBytes()));
    ParticipantRegistration r =
        new ParticipantRegistration(
            pool, peer, HEX.formatHex(signer.publicKeyBytes()), in.txidHex(), in.index(),
            HEX.formatHex(input.publicKeyBytes()), FUNDING, HEX.formatHex(proof),
            HEX.formatHex(bytes(32)), HEX.formatHex(DestinationCipher.generate(RANDOM).publicKey()),
            T0, null);
    return ParticipantRegistration.decode(r.signedJson(signer));
  }

  private static String hexOf(FuzzedDataProvider d, int max) {
    byte[] b = d.consumeBytes(max);
    return b.length == 0 ? "00" : HEX.formatHex(b);
  }

  @SafeVarargs
  private static <T> T pick(FuzzedDataProvider d, T... options) {
    return options[d.consumeInt(0, options.length - 1)];
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static PrivateKey key() {
    return PrivateKey.random(RANDOM);
  }
}
