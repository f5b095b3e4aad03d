package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;

/** The hand-over of routing-table events to listeners: ordered, and bounded against a stuck one. */
class KadEventsTest {

  @Test
  void aStuckListenerCostsAtMostTheBoundAndLaterEventsAreCounted() throws Exception {
    ExecutorService callbacks = Executors.newFixedThreadPool(2);
    try {
      KadMetrics metrics = new KadMetrics();
      KadEvents events = new KadEvents(callbacks, metrics);
      PeerId self = KadTestPeers.random();
      events.watch(new RoutingTable(self, 20, events));
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger delivered = new AtomicInteger();
      events.addListener(
          new KadListener() {
            @Override
            public void peerAdded(PeerId peer) {
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              delivered.incrementAndGet();
            }
          });
      PeerId p = KadTestPeers.random();
      int sent = KadEvents.MAX_QUEUED + 50;
      for (int i = 0; i < sent; i++) {
        events.added(p); // as the table would report, on one thread
      }
      assertThat(metrics.snapshot(true).listenerEventsDropped()).isBetween(49L, 50L);
      release.countDown();
      long expected = sent - metrics.snapshot(true).listenerEventsDropped();
      await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() == expected);
    } finally {
      callbacks.shutdownNow();
    }
  }

  @Test
  void eventsArriveInTableOrder() {
    ExecutorService callbacks = Executors.newFixedThreadPool(4);
    try {
      KadEvents events = new KadEvents(callbacks, new KadMetrics());
      List<String> seen = new CopyOnWriteArrayList<>();
      events.addListener(
          new KadListener() {
            @Override
            public void peerAdded(PeerId peer) {
              seen.add("+" + peer);
            }

            @Override
            public void peerRemoved(PeerId peer) {
              seen.add("-" + peer);
            }
          });
      List<PeerId> peers = KadTestPeers.random(200);
      List<String> expected = new java.util.ArrayList<>();
      for (PeerId p : peers) {
        events.added(p);
        events.removed(p);
        expected.add("+" + p);
        expected.add("-" + p);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == expected.size());
      assertThat(seen).containsExactlyElementsOf(expected);
    } finally {
      callbacks.shutdownNow();
    }
  }
}
