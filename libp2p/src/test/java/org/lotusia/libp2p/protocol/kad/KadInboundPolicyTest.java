package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.text;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message.MessageType;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.internal.proto.DhtProtos.Record;

/**
 * What a server does with PUT_VALUEs from remote peers, driven over real streams: the inbound
 * record filter per sending peer, the selector keeping a preferred stored record, and the counters
 * that show each refusal.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KadInboundPolicyTest {
  private final Set<PeerId> banned = ConcurrentHashMap.newKeySet();
  private final Set<String> filterThreads = ConcurrentHashMap.newKeySet();
  private final KadTestNet net =
      new KadTestNet(
          b ->
              b.unnamespacedValidator(
                      (k, v) -> {
                        if (!text(v).matches("v=\\d+")) {
                          throw new IllegalArgumentException("not v=<n>");
                        }
                      })
                  .unnamespacedSelector(KadFreshnessTest.NEWEST)
                  .inboundRecordFilter(
                      (from, key, value) -> {
                        filterThreads.add(Thread.currentThread().getName());
                        return !banned.contains(from);
                      }));

  @AfterEach
  void close() {
    net.close();
  }

  private static Message put(String key, String value) {
    return Message.newBuilder()
        .setType(MessageType.PUT_VALUE)
        .setKey(ByteString.copyFromUtf8(key))
        .setRecord(
            Record.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)))
        .build();
  }

  /** Sends one request on a new stream; returns the answer, or throws when the stream resets. */
  private static Message exchange(Host from, KadDht to, Message msg) {
    Stream s = join(from.newStream(to.host.listenAddresses().get(0), List.of(KadTestNet.PROTO)));
    try {
      join(s.write(KadCodec.frame(msg)));
      VarintFramer d = new VarintFramer(1 << 20, "kad message");
      while (true) {
        byte[] chunk = join(s.readSome(4096));
        if (chunk.length == 0) {
          throw new IllegalStateException("stream ended without answer");
        }
        List<byte[]> frames = d.feed(chunk);
        if (!frames.isEmpty()) {
          return KadCodec.parse(frames.get(0), 1000);
        }
      }
    } finally {
      s.close();
    }
  }

  private static String local(KadDht d, String key) {
    return join(KadInteropAccess.localValue(d, utf8(key))).map(KadTestNet::text).orElse("none");
  }

  @Test
  void theFilterRefusesABannedSenderAndCountsIt() {
    KadDht server = net.node();
    Host honest = net.host();
    Host attacker = net.host();
    banned.add(attacker.peerId());
    Message req = put("resource:t:1", "v=1");
    assertThat(exchange(honest, server, req)).isEqualTo(req);
    assertThatThrownBy(() -> exchange(attacker, server, put("resource:t:2", "v=1")))
        .isInstanceOf(RuntimeException.class);
    assertThat(local(server, "resource:t:1")).isEqualTo("v=1");
    assertThat(local(server, "resource:t:2")).isEqualTo("none");
    KadStats stats = server.stats();
    assertThat(stats.inboundFilterRefused()).isEqualTo(1);
    assertThat(stats.storedRecords()).isEqualTo(1);
    assertThat(stats.protocolViolations()).isZero();
    // the filter ran on the DHT's thread, after the validator: an invalid record never reaches it
    assertThat(filterThreads).allMatch(t -> t.startsWith("lotus-kad-dht-"));
    int calls = filterThreads.size();
    assertThatThrownBy(() -> exchange(honest, server, put("resource:t:3", "garbage")))
        .isInstanceOf(RuntimeException.class);
    assertThat(server.stats().validatorRejected()).isEqualTo(1);
    assertThat(server.stats().inboundFilterRefused()).isEqualTo(1);
    assertThat(filterThreads).hasSize(calls);
  }

  @Test
  void aServerKeepsTheRecordItsSelectorPrefers() {
    KadDht server = net.node();
    Host peer = net.host();
    assertThat(exchange(peer, server, put("resource:t:1", "v=7"))).isNotNull();
    // an older value is refused (as go-libp2p does) and the newer one stays
    assertThatThrownBy(() -> exchange(peer, server, put("resource:t:1", "v=6")))
        .isInstanceOf(RuntimeException.class);
    assertThat(local(server, "resource:t:1")).isEqualTo("v=7");
    assertThat(server.stats().selectorKeptExisting()).isEqualTo(1);
    // a newer value replaces it, the same value refreshes it
    assertThat(exchange(peer, server, put("resource:t:1", "v=8"))).isNotNull();
    assertThat(exchange(peer, server, put("resource:t:1", "v=8"))).isNotNull();
    assertThat(local(server, "resource:t:1")).isEqualTo("v=8");
    assertThat(server.stats().selectorKeptExisting()).isEqualTo(1);
  }

  @Test
  void keysWithoutNamespaceNeedTheUnnamespacedValidator() {
    KadDht strict = net.dht(net.host(), KadDhtConfig.builder().protocolId(KadTestNet.PROTO));
    assertThatThrownBy(() -> join(strict.put(utf8("resource:t:1"), utf8("v=1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unnamespacedValidator");
  }
}
