package org.lotusia.node.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Renders the {@code /status} document as a small read-only HTML page for a person on the node's
 * machine: server-side, no scripts and no external resources, and refreshed by the browser every
 * {@link #REFRESH_SECONDS} seconds through a {@code <meta http-equiv="refresh">}.
 *
 * <p>Stateless and thread-safe. Every value is HTML-escaped: peer-supplied text such as agent
 * versions and protocol names cannot inject markup.
 */
public final class StatusPage {

  /** How often the page reloads itself. */
  public static final int REFRESH_SECONDS = 5;

  private StatusPage() {}

  /**
   * The page for {@code status}.
   *
   * @param status a document from {@link StatusReport#build()}
   * @return the HTML text
   */
  public static String render(JsonNode status) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
        .append("<title>lotus-p2p node ").append(esc(shortId(status.path("peerId").asText())))
        .append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse;margin-bottom:1em}")
        .append("td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}")
        .append("th{background:#f3f3f3}code{font-size:.9em}.muted{color:#777}")
        .append("</style></head><body>\n");
    h.append("<h1>lotus-p2p node</h1>\n<table id=\"node\">");
    row(h, "Peer ID", "<code id=\"peer-id\">" + esc(status.path("peerId").asText()) + "</code>");
    row(h, "State", "<span id=\"state\">" + esc(status.path("state").asText()) + "</span>"
        + (status.has("stateError") ? " " + esc(status.path("stateError").asText()) : ""));
    row(h, "Addresses", list(status.path("addrs")));
    row(h, "Connected peers", "<span id=\"peer-count\">" + status.path("peers").size() + "</span>");
    if (status.has("dataDir")) {
      row(h, "Data directory", "<code>" + esc(status.path("dataDir").path("path").asText()) + "</code>");
    }
    h.append("</table>\n");

    h.append("<h2>Peers</h2>\n");
    if (status.path("peers").isEmpty()) {
      h.append("<p class=\"muted\">No connected peers.</p>\n");
    } else {
      h.append("<table id=\"peers\"><tr><th>Peer</th><th>Connections</th><th>Addresses</th>")
          .append("<th>Protocols</th><th>Agent</th></tr>");
      for (JsonNode p : status.path("peers")) {
        StringBuilder conns = new StringBuilder();
        for (JsonNode c : p.path("connections")) {
          conns.append(esc(c.path("direction").asText())).append(" ")
              .append(esc(c.path("remoteAddr").asText()));
          for (Map.Entry<String, JsonNode> s : c.path("streams").properties()) {
            conns.append("<br><span class=\"muted\">").append(esc(s.getKey())).append(" &times; ")
                .append(s.getValue().asInt()).append("</span>");
          }
          conns.append("<br>");
        }
        h.append("<tr class=\"peer\"><td><code>").append(esc(p.path("peerId").asText()))
            .append("</code></td><td>").append(conns).append("</td><td>").append(list(p.path("addrs")))
            .append("</td><td>").append(list(p.path("protocols"))).append("</td><td>")
            .append(esc(p.path("agentVersion").asText(""))).append("</td></tr>");
      }
      h.append("</table>\n");
    }

    JsonNode topics = status.path("topics");
    h.append("<h2>Topics</h2>\n");
    if (!topics.path("enabled").asBoolean()) {
      h.append("<p class=\"muted\">GossipSub is off.</p>\n");
    } else if (topics.path("subscribed").isEmpty()) {
      h.append("<p class=\"muted\">No subscriptions.</p>\n");
    } else {
      h.append("<table id=\"topics\"><tr><th>Topic</th><th>Mesh peers</th><th>Subscribed peers</th></tr>");
      for (JsonNode t : topics.path("subscribed")) {
        h.append("<tr><td>").append(esc(t.path("topic").asText())).append("</td><td>")
            .append(t.path("meshPeers").asInt()).append("</td><td>")
            .append(t.path("topicPeers").asInt()).append("</td></tr>");
      }
      h.append("</table>\n");
    }

    JsonNode dht = status.path("dht");
    h.append("<h2>DHT</h2>\n<table id=\"dht\">");
    row(h, "Mode", "<span id=\"dht-mode\">" + esc(dht.path("mode").asText()) + "</span>");
    if (!"disabled".equals(dht.path("mode").asText())) {
      row(h, "Routing table", "<span id=\"routing-table-size\">" + dht.path("routingTableSize").asInt()
          + "</span> peers; by bucket: " + esc(dht.path("buckets").toString()));
      row(h, "Stored records", "<span id=\"stored-records\">" + dht.path("storedRecords").asInt()
          + "</span>, provider keys " + dht.path("providerKeys").asInt());
      JsonNode q = dht.path("queries");
      row(h, "Lookups", q.path("started").asLong() + " started, " + q.path("succeeded").asLong()
          + " succeeded, " + q.path("failed").asLong() + " failed");
    }
    h.append("</table>\n");

    JsonNode m = status.path("messages");
    h.append("<h2>Messages</h2>\n<table id=\"messages\">");
    row(h, "Direct", m.path("received").asLong() + " received, " + m.path("sent").asLong() + " sent, "
        + m.path("refusedBusy").asLong() + " refused (handler busy)");
    row(h, "Topics", m.path("topicDelivered").asLong() + " delivered, " + m.path("topicRefused").asLong()
        + " refused, " + m.path("topicDropped").asLong() + " dropped");
    h.append("</table>\n");

    JsonNode sec = status.path("security");
    h.append("<h2>Security</h2>\n<table id=\"security\">");
    row(h, "Banned peers", "<span id=\"banned-count\">" + sec.path("bannedPeers").size() + "</span> "
        + list(sec.path("bannedPeers")));
    row(h, "Messages rejected", String.valueOf(sec.path("messages").path("rejected").asLong()));
    StringBuilder reasons = new StringBuilder();
    for (Map.Entry<String, JsonNode> e : sec.path("rejectionsByReason").properties()) {
      if (e.getValue().asLong() > 0) {
        reasons.append(esc(e.getKey())).append(": ").append(e.getValue().asLong()).append("<br>");
      }
    }
    row(h, "Refusals by reason", reasons.length() == 0 ? "<span class=\"muted\">none</span>" : reasons.toString());
    h.append("</table>\n<p class=\"muted\">Read-only; refreshes every ").append(REFRESH_SECONDS)
        .append(" s. JSON at <a href=\"/status\">/status</a>, metrics at <a href=\"/metrics\">/metrics</a>.</p>\n")
        .append("</body></html>\n");
    return h.toString();
  }

  private static void row(StringBuilder h, String name, String html) {
    h.append("<tr><th>").append(esc(name)).append("</th><td>").append(html).append("</td></tr>");
  }

  private static String list(JsonNode array) {
    StringBuilder b = new StringBuilder();
    for (JsonNode v : array) {
      if (b.length() > 0) {
        b.append("<br>");
      }
      b.append("<code>").append(esc(v.asText())).append("</code>");
    }
    return b.toString();
  }

  private static String shortId(String id) {
    return id.length() > 16 ? id.substring(0, 8) + "…" + id.substring(id.length() - 6) : id;
  }

  /** Escapes text for HTML element content and double-quoted attributes. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
