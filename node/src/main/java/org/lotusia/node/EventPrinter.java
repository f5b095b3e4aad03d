package org.lotusia.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Prints a node's events: with {@code --json} one JSON object per line ({@code
 * {"event":"peer-connected",...}}), otherwise one readable line each. Field names are the JSON
 * names of the event records; times are ISO-8601.
 *
 * <p>Thread-safe: lines are written whole, under the writer's lock, and flushed.
 */
final class EventPrinter implements Consumer<P2PEvent> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_HELD = 10_000;

  private final PrintWriter out;
  private final boolean json;
  private java.util.List<String> held = new java.util.ArrayList<>(); // guarded by out; null once released

  EventPrinter(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  @Override
  public void accept(P2PEvent event) {
    ObjectNode line = toJson(event);
    if (line == null) {
      return;
    }
    String text = json ? line.toString() : readable(line);
    synchronized (out) {
      if (held != null) {
        if (held.size() < MAX_HELD) {
          held.add(text);
        }
        return;
      }
      out.println(text);
      out.flush();
    }
  }

  /**
   * Prints the events held back so far (at most {@value #MAX_HELD}: the node's start), then prints
   * each event as it comes. Until this is called, events are held so that the node's first line
   * comes first.
   */
  void release() {
    synchronized (out) {
      if (held != null) {
        held.forEach(out::println);
        held = null;
        out.flush();
      }
    }
  }

  /** The JSON form of {@code e}, or null for events not printed (peer updates, discoveries). */
  static ObjectNode toJson(P2PEvent e) {
    ObjectNode o = JSON.createObjectNode();
    if (e instanceof P2PEvent.PeerConnected c) {
      o.put("event", "peer-connected").put("peerId", c.peerId());
      strings(o.putArray("addrs"), c.multiaddrs());
    } else if (e instanceof P2PEvent.PeerDisconnected d) {
      o.put("event", "peer-disconnected").put("peerId", d.peerId());
    } else if (e instanceof P2PEvent.MessageReceived m) {
      o.put("event", "message").put("peerId", m.from().peerId());
      message(o.putObject("message"), m.message());
    } else if (e instanceof P2PEvent.TopicMessageReceived t) {
      o.put("event", "topic-message");
      topic(o, t.message());
    } else if (e instanceof P2PEvent.ResourceAnnounced a) {
      o.put("event", "resource-announced").put("renewal", a.renewal());
      resource(o.putObject("resource"), a.announcement());
    } else if (e instanceof P2PEvent.ResourceDiscovered d) {
      o.put("event", "resource-discovered");
      resource(o.putObject("resource"), d.announcement());
    } else if (e instanceof P2PEvent.StateChanged s) {
      o.put("event", "state-changed")
          .put("previous", s.previous().name())
          .put("state", s.current().name());
      s.error().ifPresent(x -> o.put("error", x));
    } else if (e instanceof P2PEvent.PeerBanned b) {
      o.put("event", "peer-banned").put("peerId", b.peerId()).put("reason", b.reason());
      b.until().ifPresent(u -> o.put("until", u.toString()));
    } else if (e instanceof P2PEvent.DhtReady r) {
      o.put("event", "dht-ready").put("routingTableSize", r.routingTableSize()).put("mode", r.mode());
    } else if (e instanceof P2PEvent.BootstrapConnected b) {
      o.put("event", "bootstrap-connected").put("peerId", b.peerId()).put("addr", b.multiaddr());
    } else if (e instanceof P2PEvent.BootstrapFailed b) {
      o.put("event", "bootstrap-failed")
          .put("peerId", b.peerId())
          .put("attempts", b.attempts())
          .put("error", b.error());
    } else if (e instanceof P2PEvent.MeshHealthChanged m) {
      o.put("event", "mesh-health")
          .put("topic", m.topic())
          .put("meshPeers", m.meshPeers())
          .put("healthy", m.healthy());
    } else if (e instanceof P2PEvent.RelayAddressesChanged r) {
      o.put("event", "relay-addresses");
      strings(o.putArray("relayAddrs"), r.relayAddresses());
    } else if (e instanceof P2PEvent.Error err) {
      o.put("event", "error").put("code", err.code()).put("error", err.message());
    } else {
      return null;
    }
    o.put("time", e.timestamp().toString());
    return o;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  static void message(ObjectNode o, P2PMessage m) {
    o.put("type", m.type())
        .put("from", m.from())
        .put("messageId", m.messageId())
        .put("timestamp", m.timestamp());
    if (m.protocol() != null) {
      o.put("protocol", m.protocol());
    }
    if (m.to() != null) {
      o.put("to", m.to());
    }
    if (m.payload() != null) {
      o.set("payload", m.payload());
    }
  }

  static void topic(ObjectNode o, TopicMessage t) {
    o.put("topic", t.topic()).put("receivedFrom", t.receivedFrom());
    t.from().ifPresent(f -> o.put("from", f));
    JsonNode data = parsed(t);
    if (data != null) {
      o.set("data", data);
    } else {
      o.put("dataBase64", Base64.getEncoder().encodeToString(t.data()));
    }
  }

  private static JsonNode parsed(TopicMessage t) {
    try {
      return t.json();
    } catch (IllegalArgumentException notJson) {
      return null;
    }
  }

  static void resource(ObjectNode o, ResourceAnnouncement a) {
    o.put("type", a.resourceType())
        .put("id", a.resourceId())
        .put("creator", a.creatorPeerId())
        .put("createdAt", a.createdAt())
        .put("authenticated", a.authenticated());
    a.expiresAt().ifPresent(x -> o.put("expiresAt", x));
    o.set("data", a.data());
  }

  /** One readable line: {@code <time> <event> key=value ...}. */
  static String readable(ObjectNode line) {
    StringBuilder b = new StringBuilder();
    b.append(line.path("time").asText()).append(' ').append(line.path("event").asText());
    for (Map.Entry<String, JsonNode> f : line.properties()) {
      if (!f.getKey().equals("event") && !f.getKey().equals("time")) {
        JsonNode v = f.getValue();
        b.append(' ').append(f.getKey()).append('=').append(v.isTextual() ? v.asText() : v.toString());
      }
    }
    return b.toString();
  }
}
