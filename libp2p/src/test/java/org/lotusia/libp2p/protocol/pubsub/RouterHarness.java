package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/** A router under test with a stepped clock and a sink that records everything. */
final class RouterHarness implements RouterSink {

  /** A clock moved by hand. */
  static final class StepClock extends Clock {
    long millis = 1_700_000_000_000L;

    void advance(Duration d) {
      millis += d.toMillis();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  /** A remote peer with its key. */
  record Remote(PeerId id, IdentityPrivateKey key) {
    static Remote create() {
      IdentityPrivateKey k = Keys.generateEd25519();
      return new Remote(PeerId.fromPublicKey(k.publicKey()), k);
    }
  }

  final StepClock clock = new StepClock();
  final Map<PeerId, List<RPC>> sent = new HashMap<>();
  final List<PubsubMessage> delivered = new ArrayList<>();
  final List<PeerId> connectRequests = new ArrayList<>();
  final List<java.util.Optional<byte[]>> connectRecords = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  final Map<PeerId, byte[]> records = new HashMap<>();
  final GossipRouter router;
  final Counters counters = new Counters();
  final Remote me = Remote.create();
  private long seq = 1;

  RouterHarness() {
    this(b -> b);
  }

  /** Runs every validation at once on the calling thread. */
  static final Validation INLINE =
      (job, done) -> {
        job.run();
        done.accept(job);
        return true;
      };

  RouterHarness(UnaryOperator<GossipSubConfig.Builder> custom) {
    this(custom, INLINE);
  }

  RouterHarness(UnaryOperator<GossipSubConfig.Builder> custom, Validation validation) {
    GossipSubConfig cfg = custom.apply(GossipSubConfig.builder().clock(clock)).build();
    router =
        new GossipRouter(
            cfg,
            me.id(),
            me.key(),
            this,
            new Random(7),
            counters,
            validation,
            p -> java.util.Optional.ofNullable(records.get(p)));
  }

  @Override
  public void send(PeerId peer, RPC rpc) {
    sent.computeIfAbsent(peer, p -> new ArrayList<>()).add(rpc);
  }

  @Override
  public void deliver(PubsubMessage message) {
    delivered.add(message);
  }

  @Override
  public void connect(PeerId peer, byte[] signedRecord) {
    connectRequests.add(peer);
    connectRecords.add(java.util.Optional.ofNullable(signedRecord));
  }

  @Override
  public void peerSubscribed(PeerId peer, String topic) {
    events.add("+" + topic + "@" + peer);
  }

  @Override
  public void peerUnsubscribed(PeerId peer, String topic) {
    events.add("-" + topic + "@" + peer);
  }

  /** A validation that holds jobs until the test completes them, with an optional capacity. */
  static final class HeldValidation implements Validation {
    final List<ValidationJob> jobs = new ArrayList<>();
    private final List<java.util.function.Consumer<ValidationJob>> dones = new ArrayList<>();
    int capacity = Integer.MAX_VALUE;
    int runs;

    @Override
    public boolean submit(ValidationJob job, java.util.function.Consumer<ValidationJob> done) {
      if (jobs.size() >= capacity) {
        return false;
      }
      jobs.add(job);
      dones.add(done);
      return true;
    }

    /** Runs and completes every held job, including those submitted meanwhile. */
    void completeAll() {
      while (!jobs.isEmpty()) {
        ValidationJob j = jobs.remove(0);
        java.util.function.Consumer<ValidationJob> d = dones.remove(0);
        runs++;
        j.run();
        d.accept(j);
      }
    }
  }

  /** Adds {@code n} remote peers speaking meshsub 1.2 and subscribed to {@code topic}. */
  List<Remote> peers(int n, String topic, boolean outbound) {
    List<Remote> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Remote r = Remote.create();
      router.addPeer(r.id(), "/meshsub/1.2.0", outbound);
      router.handleRpc(r.id(), subscribe(topic));
      out.add(r);
    }
    return out;
  }

  static RPC subscribe(String topic) {
    return RPC.newBuilder()
        .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(topic))
        .build();
  }

  Message signed(Remote author, String topic, String data) {
    return MessageSigning.sign(author.key(), author.id(), topic, data.getBytes(), seq++);
  }

  static ByteString id(Message m) throws Exception {
    return MessageSigning.messageId(
        MessageIdFunction.authorKeyAndSeqno(),
        MessageSigning.check(m, SignaturePolicy.STRICT_SIGN));
  }

  /** The js-style ID of {@code m} without verifying its signature. */
  static ByteString idUnchecked(Message m) throws Exception {
    return MessageSigning.messageId(
        MessageIdFunction.authorKeyAndSeqno(),
        MessageSigning.precheck(m, SignaturePolicy.STRICT_SIGN));
  }

  static RPC publish(Message m) {
    return RPC.newBuilder().addPublish(m).build();
  }

  static RPC control(ControlMessage.Builder c) {
    return RPC.newBuilder().setControl(c).build();
  }

  List<RPC> sentTo(PeerId p) {
    return sent.getOrDefault(p, List.of());
  }

  /** Messages (publish entries) sent to {@code p}. */
  long messagesTo(PeerId p) {
    return sentTo(p).stream().mapToLong(RPC::getPublishCount).sum();
  }

  long graftsTo(PeerId p) {
    return sentTo(p).stream()
        .filter(RPC::hasControl)
        .mapToLong(r -> r.getControl().getGraftCount())
        .sum();
  }

  long prunesTo(PeerId p) {
    return sentTo(p).stream()
        .filter(RPC::hasControl)
        .mapToLong(r -> r.getControl().getPruneCount())
        .sum();
  }

  void heartbeat() {
    clock.advance(Duration.ofSeconds(1));
    router.heartbeat();
  }
}
