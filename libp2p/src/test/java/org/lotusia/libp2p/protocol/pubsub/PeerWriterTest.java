package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Stream;

/** The bounded per-peer outbound queue: a slow peer loses RPCs, the writer never blocks. */
class PeerWriterTest {

  /** A stream whose writes complete only when the test says so. */
  private static Stream slowStream(List<CompletableFuture<Void>> writes, List<byte[]> data) {
    return (Stream)
        Proxy.newProxyInstance(
            Stream.class.getClassLoader(),
            new Class<?>[] {Stream.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "write" -> {
                  CompletableFuture<Void> f = new CompletableFuture<>();
                  writes.add(f);
                  data.add((byte[]) args[0]);
                  return f;
                }
                case "close" -> {
                  return CompletableFuture.completedFuture(null);
                }
                default -> throw new UnsupportedOperationException(method.getName());
              }
            });
  }

  @Test
  void attackSlowPeerFillsItsQueueAndFurtherRpcsAreDroppedAndCounted() {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    LongAdder dropped = new LongAdder();
    PeerWriter w = new PeerWriter(4, dropped);
    // queued before the stream exists
    assertThat(w.enqueue(new byte[] {0})).isTrue();
    w.attach(slowStream(writes, data));
    assertThat(writes).hasSize(1);
    for (int i = 1; i <= 4; i++) {
      assertThat(w.enqueue(new byte[] {(byte) i})).isTrue();
    }
    // the peer does not read: the fifth queued RPC does not fit
    assertThat(w.enqueue(new byte[] {5})).isFalse();
    assertThat(dropped.sum()).isEqualTo(1);
    assertThat(writes).hasSize(1);
    // the peer catches up: what queued meanwhile goes out in one write, in order
    writes.get(0).complete(null);
    assertThat(writes).hasSize(2);
    assertThat(data.get(0)).containsExactly(0);
    assertThat(data.get(1)).containsExactly(1, 2, 3, 4);
    writes.get(1).complete(null);
    assertThat(w.queued()).isZero();
    assertThat(writes).hasSize(2);
  }

  @Test
  void aBatchStopsAtItsByteLimit() {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    PeerWriter w = new PeerWriter(16, new LongAdder());
    w.attach(slowStream(writes, data));
    byte[] big = new byte[PeerWriter.MAX_BATCH_BYTES / 2];
    for (int i = 0; i < 4; i++) {
      w.enqueue(big);
    }
    writes.get(0).complete(null);
    writes.get(1).complete(null);
    assertThat(data)
        .extracting(b -> b.length)
        .containsExactly(big.length, 2 * big.length, big.length);
  }

  @Test
  void failedWriteClosesTheWriterAndCountsTheQueueAsDropped() {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    LongAdder dropped = new LongAdder();
    PeerWriter w = new PeerWriter(8, dropped);
    w.attach(slowStream(writes, new ArrayList<>()));
    w.enqueue(new byte[] {1});
    w.enqueue(new byte[] {2});
    writes.get(0).completeExceptionally(new IllegalStateException("reset"));
    assertThat(dropped.sum()).isEqualTo(2);
    assertThat(w.enqueue(new byte[] {3})).isFalse();
  }
}
