package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.ConnectException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolAbort;
import org.lotusia.swapsig.wire.PoolMessage;
import org.lotusia.swapsig.wire.PoolMessages;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.RegistrationAck;

/**
 * Fuzzes the pool state machines with messages from arbitrary claimed senders: a node that hosts
 * one pool (as its creator) and takes part in another (whose creator the fuzzer plays) gets a
 * sequence of pool messages of every type, each built by {@link PoolScript} from the input with
 * keys, peers, rounds and registrations picked from a fixed cast, signed by any key of the cast
 * or not at all, and addressed to the node or to someone else; and pool announcements from the
 * topic. The chain cannot be reached, so no registration or roster passes its on-chain check.
 *
 * <p>Contract: no handler throws; each pool's phase only moves forward; the hosted pool accepts no
 * registration, relays nothing and answers only with refusals signed by its creator key to the
 * peer that registered; the participant leaves registration only by aborting, and aborts only
 * after a message its creator signed and sent; everything the participant sends is signed by its
 * signer key; a pool is discovered only from its creator with a verified signature.
 */
class PoolStateFuzzTest {

  private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();
  private static final ExecutorService SERVICE =
      Executors.newSingleThreadExecutor(r -> daemon(r, "lotus-test-swapsig-fuzz-service"));
  /** A Chronik client whose every call fails as a refused connection, without a socket. */
  private static final ChronikClient CHRONIK =
      ChronikClient.builder()
          .urls("http://127.0.0.1:9")
          .okHttpClient(
              new OkHttpClient.Builder()
                  .addInterceptor(
                      chain -> {
                        throw new ConnectException("no chain in this test");
                      })
                  .build())
          .build();
  static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(PoolScript.T0), ZoneOffset.UTC);
  private static final ChainOps CHAIN =
      new ChainOps(CHRONIK, SCHEDULER, CLOCK, Duration.ZERO, Duration.ofMinutes(1));
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final PoolScript CAST = new PoolScript();

  @FuzzTest(maxDuration = "60s")
  void messages(FuzzedDataProvider data) throws Exception {
    PoolScript.Recorder net = CAST.new Recorder();
    List<SwapSigEvent> events = new CopyOnWriteArrayList<>();
    EventSink sink = new EventSink(Runnable::run);
    sink.add(events::add);
    Services svc =
        new Services(
            net, null, CHAIN, SwapSigConfig.defaults(), SCHEDULER, SERVICE, sink,
            RANDOM, (from, m) -> false);
    PoolTable table = new PoolTable(16, 4);
    PoolInbound inbound = new PoolInbound(svc, table);
    HostedPool[] hosted = new HostedPool[1];
    Participation[] joined = new Participation[1];
    onService(
        () -> {
          hosted[0] =
              new HostedPool(svc, CAST.hostedPool, CAST.hostedKey, () -> table.removeHosted(PoolScript.P1));
          table.addHosted(hosted[0]);
          hosted[0].start();
          joined[0] =
              new Participation(svc, CAST.joinedPool, CAST.request, CAST.honestSigner,
                  () -> table.removeJoined(PoolScript.P2));
          table.addJoined(joined[0]);
          joined[0].start();
        });
    boolean creatorSpoke = false;
    Set<String> registrants = new HashSet<>();
    try {
      for (int step = 0; step < 24 && data.remainingBytes() > 0; step++) {
        if (data.consumeInt(0, 7) == 0) {
          PoolScript.Topic t = CAST.topic(data);
          onService(() -> inbound.accept(t.json(), t.publisher()));
          continue;
        }
        PoolScript.Step s = CAST.step(data);
        creatorSpoke |= s.fromJoinedCreator();
        if (SwapSigMessageTypes.PARTICIPANT_REGISTERED.equals(s.envelope().type())) {
          registrants.add(s.sender());
        }
        onService(() -> inbound.direct(s.sender(), s.envelope()));
      }
      onService(() -> {});
      check(events, net.sent, creatorSpoke, registrants, hosted[0], joined[0]);
    } finally {
      onService(
          () -> {
            hosted[0].finish();
            joined[0].close();
          });
    }
  }

  private static void check(
      List<SwapSigEvent> events, List<PoolScript.Recorder.Sent> sent, boolean creatorSpoke,
      Set<String> registrants, HostedPool hosted, Participation joined) {
    for (SwapSigEvent e : events) {
      if (e instanceof SwapSigEvent.PhaseChanged p) {
        assertThat(p.to().ordinal()).as("phase only moves forward: %s", p).isGreaterThan(p.from().ordinal());
        assertThat(p.creator() ? p.poolId().equals(PoolScript.P1) : p.poolId().equals(PoolScript.P2))
            .as("%s", p).isTrue();
      }
      if (e instanceof SwapSigEvent.PoolAborted a && a.poolId().equals(PoolScript.P2)) {
        assertThat(creatorSpoke).as("aborted only after its creator spoke: %s", a).isTrue();
      }
      if (e instanceof SwapSigEvent.PoolDiscovered d) {
        assertThat(d.announcement().verifySignature()).isTrue();
        assertThat(d.publisherPeerId()).isEqualTo(d.announcement().creatorPeerId());
      }
    }
    assertThat(hosted.phase()).as("no registration passes without the chain").isEqualTo(SwapPhase.DISCOVERY);
    assertThat(joined.phase()).isIn(SwapPhase.REGISTRATION, SwapPhase.ABORTED);
    for (PoolScript.Recorder.Sent m : sent) {
      P2PMessage env = m.envelope();
      assertThat(env.from()).isEqualTo(PoolScript.SELF);
      PoolMessage msg = PoolMessages.decode(env.type(), env.payload());
      if (msg instanceof RegistrationAck ack) {
        assertThat(ack.poolId()).isEqualTo(PoolScript.P1);
        assertThat(ack.accepted()).as("refusals only: %s", ack).isFalse();
        assertThat(ack.verify(CAST.hostedPool.creatorPublicKey())).isTrue();
        assertThat(registrants).as("answered to a peer that registered").contains(m.to());
      } else if (msg instanceof ParticipantRegistration r) {
        assertThat(r.poolId()).isEqualTo(PoolScript.P2);
        assertThat(r.verify(CAST.honestKeyHex())).isTrue();
        assertThat(m.to()).isEqualTo(PoolScript.CREATOR2);
      } else if (msg instanceof PoolAbort a) {
        assertThat(a.poolId()).isEqualTo(PoolScript.P2);
        assertThat(a.verify(CAST.honestKeyHex())).isTrue();
      } else {
        throw new AssertionError("the node sent " + env.type() + " to " + m.to() + ": " + env.payload());
      }
    }
  }

  /** Runs on the service thread, as the manager would; a handler's exception fails the input. */
  private static void onService(Runnable r) throws Exception {
    try {
      SERVICE.submit(r).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw (Error) e.getCause();
    }
  }

  private static ScheduledThreadPoolExecutor scheduler() {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(1, r -> daemon(r, "lotus-test-swapsig-fuzz-timer"));
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  static SwapRequest request(PrivateKey inputKey, PrivateKey destinationKey) {
    OutPoint out = OutPoint.fromDisplayHex("5a".repeat(32), 1);
    SwapInput in =
        new SwapInput(out, new TxOutput(PoolScript.FUNDING, Scripts.p2pkh(inputKey.publicKey())), inputKey);
    return SwapRequest.of(in, Scripts.p2pkh(destinationKey.publicKey()));
  }

  static List<String> types() {
    return new ArrayList<>(SwapSigMessageTypes.ALL.stream().sorted().toList());
  }
}
