package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIHave;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.protocol.pubsub.RouterHarness.Remote;

/** The service's bounded parts: RPC splitting, the inbound budget and the validation lanes. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GossipSubPartsTest {

  @Test
  void oversizedRpcsAreSplitIntoPartsWithinTheLimit() {
    RPC.Builder b = RPC.newBuilder();
    for (int i = 0; i < 10; i++) {
      b.addPublish(
          Message.newBuilder().setTopic("t").setData(ByteString.copyFrom(new byte[300_000])));
    }
    ControlIHave.Builder ihave = ControlIHave.newBuilder().setTopicID("t");
    for (int i = 0; i < 100; i++) {
      ihave.addMessageIDs(ByteString.copyFromUtf8("id" + i));
    }
    b.setControl(ControlMessage.newBuilder().addIhave(ihave));
    b.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid("t"));
    RPC big = b.build();
    int limit = 1 << 20;
    List<RPC> parts = RpcFragmenter.split(big, limit);
    assertThat(parts).hasSizeGreaterThan(1);
    assertThat(parts).allMatch(p -> p.getSerializedSize() <= limit);
    assertThat(parts.stream().mapToInt(RPC::getPublishCount).sum()).isEqualTo(10);
    assertThat(parts.stream().mapToInt(RPC::getSubscriptionsCount).sum()).isEqualTo(1);
    assertThat(parts.stream().filter(RPC::hasControl).mapToInt(p -> p.getControl().getIhaveCount()))
        .containsExactly(1);
    RPC small = RPC.newBuilder().addPublish(big.getPublish(0)).build();
    assertThat(RpcFragmenter.split(small, limit)).containsExactly(small);
    // a part larger than the limit on its own still travels, alone
    assertThat(RpcFragmenter.split(big, 1000)).hasSize(12);
  }

  @Test
  void attackTheInboundBudgetBoundsEachStreamAndAllStreamsTogether() {
    InboundBudget budget = new InboundBudget(1000, 2500);
    AtomicLong a = new AtomicLong();
    AtomicLong b = new AtomicLong();
    AtomicLong c = new AtomicLong();
    InboundBudget.Ticket a1 = budget.tryAcquire(a, 600);
    assertThat(a1).isNotNull();
    assertThat(budget.tryAcquire(a, 600)).as("over the stream's limit").isNull();
    InboundBudget.Ticket b1 = budget.tryAcquire(b, 900);
    InboundBudget.Ticket c1 = budget.tryAcquire(c, 900);
    assertThat(b1).isNotNull();
    assertThat(c1).isNotNull();
    assertThat(budget.waiting()).isEqualTo(2400);
    AtomicLong d = new AtomicLong();
    assertThat(budget.tryAcquire(d, 200)).as("over the global limit, though d has none").isNull();
    // a message that went to validation keeps its share after the RPC is done
    InboundBudget.Ticket held = a1.split(500);
    a1.release();
    assertThat(a.get()).isEqualTo(500);
    assertThat(budget.waiting()).isEqualTo(2300);
    held.release();
    held.release();
    assertThat(a.get()).isZero();
    assertThat(budget.tryAcquire(d, 200)).isNotNull();
    // with nothing waiting anywhere one RPC is always taken, whatever its size
    InboundBudget empty = new InboundBudget(1000, 2500);
    assertThat(empty.tryAcquire(new AtomicLong(), 5000)).isNotNull();
  }

  @Test
  void aSlowValidatorFillsOnlyItsOwnTopicsQueue() throws Exception {
    ScheduledExecutorService router = Executors.newSingleThreadScheduledExecutor();
    LongAdder dropped = new LongAdder();
    ValidationLanes lanes =
        new ValidationLanes(
            2,
            4,
            1,
            Executors.defaultThreadFactory(),
            task -> {
              router.execute(task);
              return true;
            },
            dropped);
    try {
      CountDownLatch release = new CountDownLatch(1);
      TopicValidator stuck =
          m -> {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return TopicValidationResult.ACCEPT;
          };
      ConcurrentLinkedQueue<String> done = new ConcurrentLinkedQueue<>();
      Remote author = Remote.create();
      lanes.submit(job(author, "slow", 0, stuck), j -> done.add("slow"));
      await().atMost(Duration.ofSeconds(20)).until(() -> lanes.waiting("slow") == 0);
      for (int i = 1; i < 10; i++) {
        lanes.submit(job(author, "slow", i, stuck), j -> done.add("slow"));
      }
      // one running, four waiting, five dropped
      assertThat(dropped.sum()).isEqualTo(5);
      for (int i = 0; i < 4; i++) {
        assertThat(lanes.submit(job(author, "fast", i, null), j -> done.add("fast"))).isTrue();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> done.stream().filter("fast"::equals).count() == 4);
      assertThat(done).doesNotContain("slow");
      release.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> done.size() == 9);
      assertThat(lanes.waiting("slow")).isZero();
    } finally {
      lanes.close();
      router.shutdownNow();
    }
  }

  @Test
  void aFullCallbackLaneRefusesAndCountsAndARefusingExecutorLosesNothingAccepted()
      throws Exception {
    ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.atomic.AtomicInteger refuse =
          new java.util.concurrent.atomic.AtomicInteger(3);
      LongAdder refusals = new LongAdder();
      Callbacks callbacks =
          new Callbacks(
              task -> {
                if (refuse.getAndDecrement() > 0) {
                  throw new java.util.concurrent.RejectedExecutionException("full");
                }
                pool.execute(task);
              },
              retry,
              refusals);
      LongAdder dropped = new LongAdder();
      Callbacks.Lane lane = callbacks.lane(3, dropped);
      CountDownLatch hold = new CountDownLatch(1);
      ConcurrentLinkedQueue<Integer> ran = new ConcurrentLinkedQueue<>();
      lane.offer(
          () -> {
            try {
              hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            ran.add(0);
          });
      await().atMost(Duration.ofSeconds(20)).until(() -> lane.size() == 0);
      for (int i = 1; i <= 5; i++) {
        int n = i;
        lane.offer(() -> ran.add(n));
      }
      assertThat(dropped.sum()).isEqualTo(2);
      hold.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> ran.size() == 4);
      assertThat(ran).containsExactly(0, 1, 2, 3);
      assertThat(refusals.sum()).isEqualTo(3);
    } finally {
      retry.shutdownNow();
      pool.shutdownNow();
    }
  }

  @Test
  void badSettingsAreRefusedWithAMessageThatSaysWhat() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> GossipSubConfig.builder().validation(2, 10, 3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validationConcurrency <= validationThreads");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                GossipSubConfig.builder()
                    .inboundQueueBytes(1 << 20)
                    .globalInboundQueueBytes(1000)
                    .build())
        .hasMessageContaining("globalInboundQueueBytes (1000) must be at least inboundQueueBytes");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PeerScoreParams.builder().ipColocationFactor(5, 10, java.util.Set.of()).build())
        .hasMessageContaining("ipColocationFactorWeight <= 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PeerScoreParams.builder().appSpecificScore(p -> 1, -1).build())
        .hasMessageContaining("appSpecificWeight must be finite and >= 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> GossipSubConfig.builder().gossip(1.5, 3).build())
        .hasMessageContaining("gossipFactor");
  }

  private static ValidationJob job(Remote author, String topic, int n, TopicValidator v)
      throws Exception {
    Message m = MessageSigning.sign(author.key(), author.id(), topic, new byte[] {(byte) n}, n);
    MessageSigning.Checked c = MessageSigning.precheck(m, SignaturePolicy.STRICT_SIGN);
    ByteString id = MessageSigning.messageId(MessageIdFunction.authorKeyAndSeqno(), c);
    PeerId src = author.id();
    return new ValidationJob(src, id, c, v, InboundBudget.none());
  }
}
