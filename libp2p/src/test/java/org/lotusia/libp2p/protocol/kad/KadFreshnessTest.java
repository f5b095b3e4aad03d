package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.text;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Newest-wins records across a network: a get lets the selector choose among all values (its own
 * copy included), corrects only peers holding a value ranked below, and no node (a stale getter, a
 * stale putter, a stale server) can push an older value over a newer one.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KadFreshnessTest {
  /** Values are {@code v=<n>}; the highest n is the newest. */
  static final RecordSelector NEWEST =
      (key, values) -> {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
          if (version(values.get(i)) > version(values.get(best))) {
            best = i;
          }
        }
        return best;
      };

  static int version(byte[] value) {
    return Integer.parseInt(text(value).substring(2));
  }

  private final KadTestNet net =
      new KadTestNet(
          b ->
              b.unnamespacedValidator(
                      (k, v) -> {
                        if (!text(v).matches("v=\\d+")) {
                          throw new IllegalArgumentException("not v=<n>");
                        }
                      })
                  .unnamespacedSelector(NEWEST));

  @AfterEach
  void close() {
    net.close();
  }

  private static void storeLocally(KadDht d, byte[] key, String value) {
    assertThat(join(KadInteropAccess.storeLocally(d, key, utf8(value)))).isTrue();
  }

  private static Optional<String> local(KadDht d, byte[] key) {
    return join(KadInteropAccess.localValue(d, key)).map(KadTestNet::text);
  }

  /** The local value at every node that holds one. */
  private static List<String> valuesEverywhere(List<KadDht> nodes, byte[] key) {
    List<String> out = new ArrayList<>();
    for (KadDht d : nodes) {
      local(d, key).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void aStaleNodeCannotOverwriteANewerRecordAnywhere() {
    List<KadDht> nodes = net.network(12);
    byte[] key = utf8("resource:session:42");
    join(nodes.get(1).put(key, utf8("v=1")));
    join(nodes.get(2).put(key, utf8("v=2")));
    // v=2 replaced v=1 at every server: the selector ranks the incoming v=2 first
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> valuesEverywhere(nodes, key).stream().allMatch("v=2"::equals));
    assertThat(valuesEverywhere(nodes, key)).hasSizeGreaterThanOrEqualTo(11);

    // a node that was away holds v=1 only: its get must answer v=2 and fix its own copy
    KadDht stale = nodes.get(5);
    storeLocally(stale, key, "v=1");
    assertThat(join(stale.get(key)).map(KadTestNet::text)).hasValue("v=2");
    assertThat(local(stale, key)).hasValue("v=2");

    // a stale node that puts v=1 is refused by every server, so nothing changes anywhere
    KadDht late = nodes.get(7);
    join(KadInteropAccess.removeLocally(late, key));
    assertThatThrownBy(() -> join(late.put(key, utf8("v=1"))))
        .isInstanceOf(KadPutException.class)
        .satisfies(e -> assertThat(((KadPutException) e).storedAt()).isEmpty());
    // its own copy took v=1 (a local put is the caller's wish); every other node keeps v=2
    List<KadDht> others = new ArrayList<>(nodes);
    others.remove(late);
    assertThat(valuesEverywhere(others, key)).allMatch("v=2"::equals).hasSizeGreaterThan(10);
    // the next get at that node chooses v=2 over its own v=1 and repairs it
    assertThat(join(late.get(key)).map(KadTestNet::text)).hasValue("v=2");
    assertThat(local(late, key)).hasValue("v=2");
    assertThat(valuesEverywhere(nodes, key)).allMatch("v=2"::equals);
  }

  @Test
  void aGetCorrectsOnlyPeersHoldingAnOlderValue() {
    List<KadDht> nodes = net.network(10);
    byte[] key = utf8("resource:t:1");
    join(nodes.get(1).put(key, utf8("v=5")));
    // one server went back to v=3, another jumped ahead to v=9 (written only there)
    storeLocally(nodes.get(3), key, "v=3");
    storeLocally(nodes.get(4), key, "v=9");
    assertThat(join(nodes.get(6).get(key)).map(KadTestNet::text)).hasValue("v=9");
    // the peers behind were corrected to v=9, never anyone to an older value
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> valuesEverywhere(nodes, key).stream().allMatch("v=9"::equals));
    assertThat(nodes.get(6).stats().correctionsSent()).isGreaterThan(0);
  }

  @Test
  void aPutCannotReplaceAPreferredLocalValue() {
    KadDht alone = net.node();
    byte[] key = utf8("resource:t:2");
    join(alone.put(key, utf8("v=4")));
    assertThatThrownBy(() -> join(alone.put(key, utf8("v=3"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selector prefers");
    assertThat(local(alone, key)).hasValue("v=4");
    join(alone.put(key, utf8("v=6")));
    assertThat(local(alone, key)).hasValue("v=6");
  }

  @Test
  void withTheDefaultSelectorTheLocalCopyIsNotPreferred() {
    // the FIRST selector takes the first value met; the local copy is offered after remote ones
    KadTestNet plain = new KadTestNet(b -> b.unnamespacedValidator((k, v) -> {}));
    try {
      List<KadDht> nodes = plain.network(6);
      byte[] key = utf8("resource:t:3");
      join(nodes.get(1).put(key, utf8("network")));
      KadDht d = nodes.get(4);
      storeLocally(d, key, "mine");
      // another node's copy answers, so "network" wins over the local "mine"
      assertThat(join(d.get(key)).map(KadTestNet::text)).hasValue("network");
    } finally {
      plain.close();
    }
  }
}
