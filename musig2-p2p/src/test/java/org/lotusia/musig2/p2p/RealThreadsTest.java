package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Managers with their own default threads over a network that delivers on its own threads, as the
 * coordinator's event loops would: application code only ever runs on the callback threads, a
 * throwing listener changes nothing, and closing aborts what is in progress.
 */
class RealThreadsTest {

  private final ExecutorService wire = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "test-network");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, SessionManager> managers = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> topics = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    managers.values().forEach(SessionManager::closeAsync);
    wire.shutdownNow();
  }

  final class Node implements SessionNetwork {
    final String id;

    Node(String id) {
      this.id = id;
    }

    @Override
    public String localPeerId() {
      return id;
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public CompletableFuture<Void> send(String peerId, P2PMessage message) {
      byte[] bytes = MessageJson.toBytes(message);
      return CompletableFuture.runAsync(() -> {
        SessionManager m = managers.get(peerId);
        if (m == null) {
          throw new IllegalStateException("no peer " + peerId);
        }
        m.deliverDirect(id, MessageJson.parse(bytes, 0, bytes.length));
      }, wire);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, ObjectNode message) {
      byte[] bytes = JsJsonWriter.write(message).getBytes(StandardCharsets.UTF_8);
      for (String p : topics.getOrDefault(topic, Set.of())) {
        if (!p.equals(id)) {
          wire.execute(() -> managers.get(p).deliverTopic(topic, id, bytes));
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topic) {
      topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(id);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> announceResource(String t, String i, ObjectNode d, long e) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> withdrawResource(String t, String i) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<JsonNode>> findResource(String t, String i) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }

  @Test
  void applicationCodeRunsOnlyOnCallbackThreads() {
    List<PrivateKey> keys = new ArrayList<>();
    List<byte[]> pubs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(PrivateKey.of(BigInteger.valueOf(1000 + i)));
      pubs.add(keys.get(i).publicKeyBytes());
    }
    List<String> appThreads = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      int me = i;
      String peer = "t-" + i;
      SessionManager m = SessionManager.builder(new Node(peer))
          .broadcaster(r -> {
            appThreads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(null);
          })
          .listener(e -> {
            throw new IllegalStateException("a careless listener");
          })
          .listener(e -> {
            appThreads.add(Thread.currentThread().getName());
            if (e instanceof SessionEvent.SessionDiscovered d) {
              managers.get(peer).join(d.announcement(), keys.get(me));
            }
          })
          .build();
      managers.put(peer, m);
      m.discoverSessions().join();
    }
    byte[] msg = SessionRoundTripTest.message(1);
    SessionHandle h = managers.get("t-0").create(pubs, keys.get(0), msg, SessionOptions.defaults())
        .join();
    List<String> resultThread = new CopyOnWriteArrayList<>();
    CompletableFuture<byte[]> sig = h.result().thenApply(r -> {
      resultThread.add(Thread.currentThread().getName());
      return r.signature();
    });
    await().atMost(Duration.ofSeconds(60)).until(sig::isDone);
    assertThat(sig).isCompleted();
    assertThat(org.lotusia.chain.crypto.LotusSchnorr.verify(
        sig.join(), TransactionSigning.aggregateKey(pubs), msg)).isTrue();
    assertThat(appThreads).isNotEmpty().allMatch(t -> t.startsWith("lotus-musig2-callbacks-"));
    assertThat(resultThread).allMatch(t -> t.startsWith("lotus-musig2-callbacks-"));
  }

  @Test
  void closingAbortsSessionsInProgressAndRefusesInput() {
    PrivateKey a = PrivateKey.of(BigInteger.valueOf(7));
    PrivateKey b = PrivateKey.of(BigInteger.valueOf(8));
    SessionManager m = SessionManager.builder(new Node("c-0")).build();
    managers.put("c-0", m);
    SessionHandle h = m.create(List.of(a.publicKeyBytes(), b.publicKeyBytes()), a,
        new byte[32], SessionOptions.defaults()).join();
    m.close();
    assertThat(m.closeAsync()).as("close() waited; a later close is the same one").isCompleted();
    m.close();
    await().atMost(Duration.ofSeconds(10)).until(h.result()::isDone);
    assertThat(h.result()).isCompletedExceptionally();
    assertThat(h.result().handle((v, e) -> ((SessionAbortedException) e).reason().code())
        .join()).isEqualTo(AbortReason.Code.SHUTDOWN);
    assertThat(m.deliverTopic("lotus/musig2/sessions", "x", new byte[0])).isFalse();
    assertThat(m.status(h.sessionId())).failsWithin(Duration.ofSeconds(5));
  }
}
