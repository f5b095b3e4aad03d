package org.lotusia.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p resource announce|discover}: lotus-sdk's resources in the DHT. */
@Command(
    name = "resource",
    mixinStandardHelpOptions = true,
    description = "Announce or discover resources (DHT key resource:<type>:<id>, signed by their creator).",
    subcommands = {ResourceCommand.Announce.class, ResourceCommand.Discover.class})
final class ResourceCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "resource needs a subcommand: announce or discover");
  }

  static String line(ResourceAnnouncement a) {
    return a.key() + " by " + a.creatorPeerId() + (a.authenticated() ? " (signed)" : " (unsigned)")
        + (a.expiresAt().isPresent() ? " expires " + java.time.Instant.ofEpochMilli(a.expiresAt().getAsLong()) : "")
        + " data=" + a.data();
  }

  static ObjectNode json(ResourceAnnouncement a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", a.key());
    EventPrinter.resource(o, a);
    return o;
  }

  /** {@code resource announce TYPE ID}. */
  @Command(
      name = "announce",
      mixinStandardHelpOptions = true,
      description = "Announce resource TYPE/ID with --data; it stays in the DHT until it expires.")
  static final class Announce implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NetworkOptions net;

    @Parameters(index = "0", paramLabel = "TYPE", description = "The resource type.")
    String type;

    @Parameters(index = "1", paramLabel = "ID", description = "The resource ID.")
    String id;

    @Option(names = "--data", paramLabel = "JSON", defaultValue = "{}", description = "The data, a JSON value (default ${DEFAULT-VALUE}).")
    String data;

    @Option(
        names = "--ttl",
        paramLabel = "SECONDS",
        description = "Lifetime in seconds (at least 60). Default: no expiry (kept 48 h by DHT servers).")
    Long ttlSeconds;

    @Override
    public Integer call() {
      JsonNode value;
      try {
        value = JSON.readTree(data);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("--data is not valid JSON: " + e.getOriginalMessage(), e);
      }
      AnnounceOptions options =
          ttlSeconds == null ? AnnounceOptions.NONE : AnnounceOptions.ttl(Duration.ofSeconds(ttlSeconds));
      try (ToolNode t = ToolNode.join(net, false)) {
        t.awaitDht();
        ResourceAnnouncement a = Cli.await(t.node().announceResource(type, id, value, options), t.secondsLeft());
        PrintWriter out = spec.commandLine().getOut();
        out.println(net.json ? json(a).toString() : "announced " + line(a));
        out.flush();
      }
      return 0;
    }
  }

  /** {@code resource discover TYPE [ID]}. */
  @Command(
      name = "discover",
      mixinStandardHelpOptions = true,
      description = "Find resource TYPE/ID, or every resource of TYPE when no ID is given.")
  static final class Discover implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NetworkOptions net;

    @Parameters(index = "0", paramLabel = "TYPE", description = "The resource type.")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The resource ID.")
    String id;

    @Override
    public Integer call() {
      try (ToolNode t = ToolNode.join(net, false)) {
        t.awaitDht();
        Duration wait = Duration.ofSeconds(Math.max(1, t.secondsLeft() - 1));
        List<ResourceAnnouncement> found;
        if (id != null) {
          Optional<ResourceAnnouncement> one = Cli.await(t.node().discoverResource(type, id, wait), t.secondsLeft());
          if (one.isEmpty()) {
            throw new IllegalStateException("no resource " + type + "/" + id + " was found");
          }
          found = List.of(one.get());
        } else {
          found = Cli.await(t.node().discoverResources(type, Map.of(), wait), t.secondsLeft());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (net.json) {
          ObjectNode o = JSON.createObjectNode();
          ArrayNode list = o.putArray("resources");
          found.forEach(a -> list.add(json(a)));
          out.println(o);
        } else if (found.isEmpty()) {
          out.println("no resources of type " + type);
        } else {
          found.forEach(a -> out.println(line(a)));
        }
        out.flush();
      }
      return 0;
    }
  }
}
