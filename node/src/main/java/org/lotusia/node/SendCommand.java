package org.lotusia.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.p2p.coordinator.ProtocolIds;
import org.lotusia.p2p.protocol.P2PMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lotus-p2p send}: sends one lotus-sdk {@code P2PMessage} to a peer, with lotus-sdk's framing
 * (one JSON object on a new {@code /lotus/message/1.0.0} stream, ended by the write-close).
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send one P2PMessage to the peer at MULTIADDR (which ends in /p2p/<peer ID>).")
final class SendCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer, ending in /p2p/<peer ID>.")
  String address;

  @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The message type.")
  String type;

  @Option(
      names = "--payload",
      paramLabel = "JSON",
      defaultValue = "{}",
      description = "The payload, a JSON value (default ${DEFAULT-VALUE}).")
  String payload;

  @Option(
      names = "--protocol",
      paramLabel = "NAME",
      description = "The message's protocol field: the name of the receiver's handler.")
  String protocol;

  @Option(names = "--identity", paramLabel = "FILE", description = "Key file to send as. Default: ephemeral.")
  java.nio.file.Path identity;

  @Option(names = "--json", description = "Print the sent message as JSON.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Deadline (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    Multiaddr target = Cli.parseAddress(address);
    String peer =
        target
            .peerId()
            .orElseThrow(() -> new IllegalArgumentException("'" + address + "' must end in /p2p/<peer ID>"))
            .toBase58();
    if (type.isBlank()) {
      throw new IllegalArgumentException("--type must not be empty");
    }
    JsonNode body;
    try {
      body = JSON.readTree(payload);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("--payload is not valid JSON: " + e.getOriginalMessage(), e);
    }
    NetworkOptions net = new NetworkOptions();
    net.bootstrap = java.util.List.of(address);
    net.identity = identity;
    net.timeoutSeconds = timeoutSeconds;
    try (ToolNode t = ToolNode.join(net, false)) {
      P2PMessage m = t.node().createMessage(type, body, protocol);
      Cli.await(t.node().sendTo(peer, m, ProtocolIds.MESSAGE), t.secondsLeft());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sent", true).put("to", peer);
        EventPrinter.message(o.putObject("message"), m);
        out.println(o);
      } else {
        out.println("sent " + m.type() + " " + m.messageId() + " to " + peer);
      }
      out.flush();
    }
    return 0;
  }
}
