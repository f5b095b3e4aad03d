package org.lotusia.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.p2p.coordinator.NetworkComponents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lotus-p2p dht put|get}: stores or reads one raw DHT record (UTF-8 key and value). The
 * network's validators apply: lotus nodes accept {@code resource:<type>:<id>} records holding a
 * valid announcement and {@code /pk/} records; {@code resource announce} builds and signs such a
 * record.
 */
@Command(
    name = "dht",
    mixinStandardHelpOptions = true,
    description = "Put or get a raw DHT record (UTF-8 key and value).",
    subcommands = {DhtCommand.Put.class, DhtCommand.Get.class})
final class DhtCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "dht needs a subcommand: put or get");
  }

  private static KadDht dht(ToolNode t) {
    return t.node()
        .networkComponents()
        .flatMap(NetworkComponents::dht)
        .orElseThrow(() -> new IllegalStateException("the DHT is not running"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code dht put KEY VALUE}. */
  @Command(name = "put", mixinStandardHelpOptions = true, description = "Store VALUE under KEY in the DHT.")
  static final class Put implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NetworkOptions net;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key, e.g. resource:<type>:<id>.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value (UTF-8).")
    String value;

    @Override
    public Integer call() {
      try (ToolNode t = ToolNode.join(net, false)) {
        t.awaitDht();
        List<PeerId> stored;
        try {
          stored = Cli.await(dht(t).put(utf8(key), utf8(value)), t.secondsLeft());
        } catch (IllegalArgumentException refused) {
          // a validator refused the record: that is the network's answer, not a usage error
          throw new IllegalStateException("the record was refused: " + refused.getMessage(), refused);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (net.json) {
          ObjectNode o = JSON.createObjectNode();
          o.put("key", key);
          var peers = o.putArray("storedAt");
          stored.forEach(p -> peers.add(p.toBase58()));
          out.println(o);
        } else {
          out.println("stored " + key + " at " + stored.size() + " peers");
        }
        out.flush();
      }
      return 0;
    }
  }

  /** {@code dht get KEY}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the value stored under KEY.")
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NetworkOptions net;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    public Integer call() {
      try (ToolNode t = ToolNode.join(net, false)) {
        t.awaitDht();
        Optional<byte[]> value = Cli.await(dht(t).get(utf8(key)), t.secondsLeft());
        if (value.isEmpty()) {
          throw new IllegalStateException("no record under " + key);
        }
        String text = new String(value.get(), StandardCharsets.UTF_8);
        PrintWriter out = spec.commandLine().getOut();
        if (net.json) {
          out.println(JSON.createObjectNode().put("key", key).put("value", text));
        } else {
          out.println(text);
        }
        out.flush();
      }
      return 0;
    }
  }
}
