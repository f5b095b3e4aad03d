package org.lotusia.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.p2p.coordinator.TopicMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p pubsub pub|sub}: publishes to or follows a GossipSub topic. */
@Command(
    name = "pubsub",
    mixinStandardHelpOptions = true,
    description = "Publish to or follow a GossipSub topic (lotus-sdk's JSON payloads).",
    subcommands = {PubsubCommand.Pub.class, PubsubCommand.Sub.class})
final class PubsubCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "pubsub needs a subcommand: pub or sub");
  }

  /** {@code pubsub pub}: publishes one message once a peer subscribed to the topic is known. */
  @Command(
      name = "pub",
      mixinStandardHelpOptions = true,
      description = "Publish MESSAGE (a JSON value, or else a string) on TOPIC.")
  static final class Pub implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NetworkOptions net;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic.")
    String topic;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "The message: JSON, or any text (sent as a JSON string).")
    String message;

    @Override
    public Integer call() {
      JsonNode value;
      try {
        value = JSON.readTree(message);
      } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
        value = TextNode.valueOf(message);
      }
      if (value == null || value.isMissingNode()) {
        value = TextNode.valueOf(message);
      }
      try (ToolNode t = ToolNode.join(net, true)) {
        t.awaitCondition("a peer subscribed to '" + topic + "'", () -> !t.node().getTopicPeers(topic).isEmpty());
        // the message is written at once only when the GossipSub stream to a subscriber is open;
        // the graceful close that follows is then sent after it on the same connection
        t.awaitCondition("a GossipSub stream to a subscriber of '" + topic + "'", () -> gossipStreamOpen(t, topic));
        int peers = t.node().getTopicPeers(topic).size();
        long queuedBefore = rpcsSent(t);
        Cli.await(t.node().publishToTopic(topic, value), t.secondsLeft());
        // GossipSub writes the message from its own thread once earlier frames are written; wait
        // until it was handed to the stream, then a ping round trip on the same connection, so
        // that the message is on the wire before the tool leaves
        t.awaitCondition("the message to be sent", () -> rpcsSent(t) > queuedBefore);
        pingSubscribers(t, topic);
        PrintWriter out = spec.commandLine().getOut();
        if (net.json) {
          ObjectNode o = JSON.createObjectNode();
          o.put("published", true).put("topic", topic).put("topicPeers", peers).set("data", value);
          out.println(o);
        } else {
          out.println("published to " + topic + " (" + peers + " subscribed peers known)");
        }
        out.flush();
      }
      return 0;
    }
  }

  private static long rpcsSent(ToolNode t) {
    return t.node().networkComponents().flatMap(c -> c.gossip()).map(g -> g.stats().rpcsSent()).orElse(0L);
  }

  private static void pingSubscribers(ToolNode t, String topic) {
    t.node()
        .networkComponents()
        .ifPresent(
            c -> {
              for (org.lotusia.libp2p.Connection conn : c.host().connections()) {
                if (t.node().getTopicPeers(topic).contains(conn.remotePeer().toBase58())) {
                  try {
                    var session = Cli.await(c.host().newStream(conn, new org.lotusia.libp2p.protocol.ping.Ping()), t.secondsLeft());
                    Cli.await(session.ping(), t.secondsLeft());
                    session.close();
                  } catch (RuntimeException e) {
                    // a peer without ping: the graceful close still follows the message
                  }
                }
              }
            });
  }

  private static boolean gossipStreamOpen(ToolNode t, String topic) {
    java.util.List<String> subscribers = t.node().getTopicPeers(topic);
    return t.node()
        .networkComponents()
        .map(
            c ->
                c.host().connections().stream()
                    .filter(conn -> subscribers.contains(conn.remotePeer().toBase58()))
                    .flatMap(conn -> conn.streams().stream())
                    .anyMatch(
                        st ->
                            st.direction() == org.lotusia.libp2p.Direction.OUTBOUND
                                && st.protocol() != null
                                && st.protocol().startsWith("/meshsub/")))
        .orElse(false);
  }

  /** {@code pubsub sub}: prints the topic's messages until COUNT arrived or the deadline. */
  @Command(
      name = "sub",
      mixinStandardHelpOptions = true,
      description = "Print the messages of TOPIC, one per line, until --count arrived or --timeout passed.")
  static final class Sub implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NetworkOptions net;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic.")
    String topic;

    @Option(
        names = "--count",
        paramLabel = "N",
        defaultValue = "0",
        description = "Exit after N messages (default 0: until --timeout or Ctrl-C; reaching the timeout then is not an error).")
    int count;

    @Override
    public Integer call() throws InterruptedException {
      if (count < 0) {
        throw new IllegalArgumentException("--count must be >= 0, got " + count);
      }
      PrintWriter out = spec.commandLine().getOut();
      CountDownLatch enough = new CountDownLatch(count == 0 ? 1 : count);
      AtomicInteger seen = new AtomicInteger();
      try (ToolNode t = ToolNode.join(net, true)) {
        Cli.await(
            t.node()
                .subscribeToTopic(
                    topic,
                    m -> {
                      print(out, m);
                      seen.incrementAndGet();
                      if (count > 0) {
                        enough.countDown();
                      }
                    }),
            t.secondsLeft());
        if (!net.json) {
          spec.commandLine().getErr().println("subscribed to " + topic);
          spec.commandLine().getErr().flush();
        }
        boolean done = enough.await(t.secondsLeft(), TimeUnit.SECONDS);
        if (count > 0 && !done) {
          throw new IllegalStateException(
              "timed out after " + net.timeoutSeconds + " s with " + seen.get() + " of " + count + " messages on " + topic);
        }
      }
      return 0;
    }

    private void print(PrintWriter out, TopicMessage m) {
      String line;
      if (net.json) {
        ObjectNode o = JSON.createObjectNode();
        EventPrinter.topic(o, m);
        line = o.toString();
      } else {
        line = m.topic() + " " + m.from().orElse(m.receivedFrom()) + ": " + m.text();
      }
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }
  }
}
