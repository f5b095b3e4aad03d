package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;

/**
 * {@link KadDht#start()}: its future completes on the host's callback executor once the DHT is
 * started (persisted records back in the store), repeats and a close are answered, and it always
 * completes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KadStartTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ExecutorService callbacks =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
  /** Holds the callback executor's only thread until released. */
  private final CountDownLatch gate = new CountDownLatch(1);

  private final KadTestNet net = new KadTestNet(b -> b);
  private final List<KadDht> dhts = new ArrayList<>();
  private Host host;

  @AfterEach
  void stop() {
    gate.countDown();
    dhts.forEach(KadDht::close);
    net.close();
    callbacks.shutdownNow();
  }

  /** A started host whose callbacks run on {@link #callbacks}, then the callback thread held. */
  private KadDht dht(KadDhtConfig.Builder config) throws InterruptedException {
    host = net.host(Keys.generateEd25519(), b -> b.callbackExecutor(callbacks));
    CountDownLatch held = new CountDownLatch(1);
    callbacks.execute(
        () -> {
          held.countDown();
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    KadDht d = new KadDht(host, config.validator("lotus", (k, v) -> {}).build());
    dhts.add(d);
    return d;
  }

  @Test
  void startCompletesOnTheCallbackExecutorWithThePersistedRecordsRestored() throws Exception {
    KadPersistenceTest.MapPersistence disk = new KadPersistenceTest.MapPersistence();
    PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    disk.recordStored(
        new RecordPersistence.StoredRecord(utf8("/lotus/kept"), utf8("v"), Instant.now(), other));
    KadDht d = dht(KadDhtConfig.builder().persistence(disk));

    CompletableFuture<Void> started = d.start();
    // the handler is registered when start() returns; the future waits for the callback thread
    assertThat(host.protocols()).contains(KadDhtConfig.DEFAULT_PROTOCOL);
    assertThat(started).isNotDone();
    CompletableFuture<String> seen =
        started.thenApply(
            v -> Thread.currentThread().getName() + " records=" + d.stats().storedRecords());
    gate.countDown();

    assertThat(seen).succeedsWithin(WAIT).isEqualTo("app-callbacks records=1");
  }

  @Test
  void aSecondStartCompletesWithTheFirst() throws Exception {
    KadDht d = dht(KadDhtConfig.builder());
    CompletableFuture<Void> first = d.start();
    CompletableFuture<Void> second = d.start();
    assertThat(second).isNotSameAs(first).isNotDone();
    gate.countDown();
    assertThat(first).succeedsWithin(WAIT);
    assertThat(second).succeedsWithin(WAIT);
    assertThat(d.start()).succeedsWithin(WAIT);
  }

  @Test
  void aCloseWhileStartingFailsTheStart() throws Exception {
    KadDht d = dht(KadDhtConfig.builder());
    CompletableFuture<Void> started = d.start();
    d.close();
    gate.countDown();
    assertThat(started)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessageContaining("closed");
  }

  @Test
  void startAfterCloseFails() throws Exception {
    KadDht d = dht(KadDhtConfig.builder());
    d.close();
    gate.countDown();
    assertThat(d.start())
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessageContaining("cannot be started again");
  }
}
