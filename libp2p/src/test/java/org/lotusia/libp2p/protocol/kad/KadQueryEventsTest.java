package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link KadListener#queryCompleted}: every lookup reports its duration and outcome. */
class KadQueryEventsTest {

  private final KadTestNet net = new KadTestNet(b -> b);

  @AfterEach
  void close() {
    net.close();
  }

  @Test
  void listenersHearEveryLookupEnd() {
    List<KadDht> nodes = net.network(3);
    List<String> ends = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    KadDht d = nodes.get(1);
    d.addListener(
        new KadListener() {
          @Override
          public void queryCompleted(Duration elapsed, boolean succeeded) {
            ends.add((elapsed.isNegative() ? "negative" : "ok") + "/" + succeeded);
            threads.add(Thread.currentThread().getName());
          }
        });
    long before = d.stats().queriesSucceeded();
    join(d.put(utf8("/lotus/q"), utf8("v")));
    join(d.get(utf8("/lotus/q")));
    await().atMost(Duration.ofSeconds(30)).until(() -> ends.size() >= 2);
    assertThat(ends).allMatch(e -> e.equals("ok/true"));
    assertThat(d.stats().queriesSucceeded() - before).isGreaterThanOrEqualTo(ends.size());
    assertThat(threads).noneMatch(t -> t.startsWith("lotus-kad-dht-"));
  }
}
