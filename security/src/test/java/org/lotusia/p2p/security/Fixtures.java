package org.lotusia.p2p.security;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.P2PMessage;

/** Shared helpers of the security tests. */
final class Fixtures {

  static final long T0 = 1_700_000_000_000L;

  private Fixtures() {}

  static P2PMessage message(String from, String id, long timestamp, String protocol) {
    return new P2PMessage(
        "chat",
        from,
        null,
        JsonNodeFactory.instance.objectNode().put("text", "hello"),
        timestamp,
        id,
        null,
        protocol);
  }

  static DecodeResult decoded(P2PMessage m) {
    return new DecodeResult.Decoded(m, 200);
  }

  /** Records events in order. */
  static final class Recorder implements SecurityEventListener {
    final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SecurityEvent event) {
      events.add(event);
    }

    <T extends SecurityEvent> List<T> of(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
