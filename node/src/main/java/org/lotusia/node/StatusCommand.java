package org.lotusia.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p status}: reads a node's {@code /status} and prints a summary (or the JSON). */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Read the /status of a node started with --status, and print a summary.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "[HOST:]PORT", description = "The node's status address, e.g. 127.0.0.1:8080.")
  String address;

  @Option(names = "--json", description = "Print the status document as it is.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Deadline (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String text = address.startsWith("http://") ? address.substring("http://".length()) : address;
    text = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    java.net.InetSocketAddress a = Cli.parseHostPort(text);
    String host = a.getHostString().contains(":") ? "[" + a.getHostString() + "]" : a.getHostString();
    URI uri = URI.create("http://" + host + ":" + a.getPort() + "/status");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds)).build();
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeoutSeconds)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered HTTP " + res.statusCode());
    }
    JsonNode s;
    try {
      s = new ObjectMapper().readTree(res.body());
    } catch (IOException e) {
      throw new IllegalStateException(uri + " did not answer with a status document");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(s.toString());
    } else {
      out.println("peer ID:   " + s.path("peerId").asText());
      out.println("state:     " + s.path("state").asText());
      s.path("addrs").forEach(x -> out.println("address:   " + x.asText()));
      out.println("peers:     " + s.path("peers").size());
      for (JsonNode p : s.path("peers")) {
        StringBuilder dirs = new StringBuilder();
        p.path("connections").forEach(c -> dirs.append(dirs.length() == 0 ? "" : ",").append(c.path("direction").asText()));
        out.println("  " + p.path("peerId").asText() + " " + dirs + " " + p.path("agentVersion").asText(""));
      }
      JsonNode dht = s.path("dht");
      out.println("dht:       " + dht.path("mode").asText() + ", " + dht.path("routingTableSize").asInt()
          + " peers in the routing table, " + dht.path("storedRecords").asInt() + " stored records");
      for (JsonNode t : s.path("topics").path("subscribed")) {
        out.println("topic:     " + t.path("topic").asText() + " (" + t.path("meshPeers").asInt() + " mesh peers)");
      }
      out.println("banned:    " + s.path("security").path("bannedPeers").size());
    }
    out.flush();
    return 0;
  }
}
