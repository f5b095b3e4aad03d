package org.lotusia.libp2p.upnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.join;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.AddressManager;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.protocol.autonat.NatTestNet;

/**
 * A hostile gateway: oversized, malformed and slow answers at every step (SSDP, description,
 * SOAP). Each time the start ends within its bounds with no mapping and no address, reading no
 * more than the configured limits, and the node keeps working.
 */
class UpnpAttackTest {

  private static final Duration HTTP = Duration.ofSeconds(2);

  private final NatTestNet net = new NatTestNet();
  private final List<UpnpEvent> events = new CopyOnWriteArrayList<>();
  private FakeGateway gw;
  private UpnpNat upnp;

  @BeforeEach
  void setUp() throws Exception {
    gw = new FakeGateway();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (upnp != null) {
      upnp.close();
    }
    gw.close();
    net.close();
  }

  /** Starts UPnP on a fresh host; asserts it ends within {@code bound} with nothing mapped. */
  private Host startsAndMapsNothing(Duration bound) {
    Host h = net.host();
    upnp =
        new UpnpNat(
            h,
            UpnpConfig.builder()
                .ssdpTarget(gw.ssdpAddress())
                .discoveryTimeout(Duration.ofSeconds(1))
                .httpTimeout(HTTP)
                .build());
    upnp.addListener(events::add);
    long t0 = System.nanoTime();
    List<PortMapping> made = join(upnp.start());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(made).isEmpty();
    assertThat(ms).as("ended within its bounds").isLessThan(bound.toMillis());
    assertThat(h.addresses().entries())
        .noneMatch(e -> e.source() == AddressManager.Source.IP_MAPPING);
    assertThat(h.listenAddresses()).isNotEmpty();
    return h;
  }

  private static final Duration BOUND = Duration.ofSeconds(25);

  @Test
  void oversizedSsdpAnswerIsCutAtTheLimitAndItsLocationNeverRead() {
    // 2,100 bytes of header before the location: beyond the 2,048 bytes read
    String pad = "X-PAD: " + "a".repeat(2100) + "\r\n";
    String answer = new String(gw.normalAnswer(), StandardCharsets.US_ASCII)
        .replace("CACHE-CONTROL", pad + "CACHE-CONTROL");
    gw.ssdpAnswers = List.of(answer.getBytes(StandardCharsets.US_ASCII));
    startsAndMapsNothing(BOUND);
    assertThat(gw.calls).isEmpty();
  }

  @Test
  void malformedSsdpAnswersAndForeignLocationsAreIgnored() {
    gw.ssdpAnswers =
        List.of(
            "garbage\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 1, 2, (byte) 0xff},
            "HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            // a third host (and a name to resolve): never fetched
            "HTTP/1.1 200 OK\r\nLOCATION: http://198.51.100.9/desc.xml\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII),
            "HTTP/1.1 200 OK\r\nLOCATION: http://attacker.example/desc.xml\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    startsAndMapsNothing(BOUND);
  }

  @Test
  void aFloodOfSsdpAnswersTriesOnlyMaxGateways() {
    List<byte[]> flood = new ArrayList<>();
    List<String> fetched = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 50; i++) {
      flood.add(new String(gw.normalAnswer(), StandardCharsets.US_ASCII)
          .replace("/desc.xml", "/desc.xml?n=" + i).getBytes(StandardCharsets.US_ASCII));
    }
    gw.ssdpAnswers = flood;
    gw.description = ex -> {
      fetched.add(ex.getRequestURI().toString());
      FakeGateway.reply(ex, 404, "no");
    };
    startsAndMapsNothing(BOUND);
    assertThat(fetched).hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void anOversizedDescriptionIsRefusedAtTheLimit() {
    long[] sent = {0};
    gw.description = ex -> {
      ex.sendResponseHeaders(200, 0); // chunked, endless
      byte[] chunk = ("<root>" + "x".repeat(8186)).getBytes(StandardCharsets.US_ASCII);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 10_000; i++) { // up to 80 MB if the client kept reading
          out.write(chunk);
          sent[0] += chunk.length;
        }
      } catch (IOException closedByTheClient) {
        // expected: the client cancels past its limit
      }
    };
    startsAndMapsNothing(BOUND);
    assertThat(sent[0]).as("the client stopped reading long before the end").isLessThan(40_000_000L);
    // events reach listeners on the host's callback executor
    await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
    assertThat(events).first().satisfies(e -> assertThat(e.detail()).contains("larger than"));
  }

  @Test
  void malformedDescriptionsAndEntityBombsAreRefused() {
    for (String body :
        List.of(
            "<root><device>unclosed",
            "not xml at all",
            // entity expansion (billion laughs) and an external entity: a DOCTYPE is refused
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><root>&c;</root>",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<root><serviceType>&x;</serviceType></root>",
            // a control URL on another host
            "<root><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1"
                + "</serviceType><controlURL>http://198.51.100.9/ctl</controlURL></service></root>")) {
      gw.description = ex -> FakeGateway.reply(ex, 200, body);
      gw.calls.clear();
      startsAndMapsNothing(BOUND);
      assertThat(gw.calls).as(body).isEmpty();
      upnp.close();
      upnp = null;
    }
  }

  @Test
  void aGatewayThatNeverAnswersOrDribblesIsCutOffAtTheHttpTimeout() {
    gw.description = ex -> {
      try {
        gw.release.await(60, TimeUnit.SECONDS); // holds the request open, sends nothing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    startsAndMapsNothing(Duration.ofSeconds(15));

    gw.description = ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 600; i++) { // one byte every 100 ms: a minute for 600 bytes
          out.write('<');
          out.flush();
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException stopped) {
        // expected: the client gave up
      }
    };
    upnp.close();
    startsAndMapsNothing(Duration.ofSeconds(15));
  }

  @Test
  void hostileSoapAnswersAreRefused() {
    for (HttpHandlerBody bad :
        List.<HttpHandlerBody>of(
            ex -> FakeGateway.reply(ex, 200, "<a>" + "b".repeat(40_000) + "</a>"), // > 16 KiB
            ex -> FakeGateway.reply(ex, 200, "<Envelope><Body>unclosed"),
            // not an IP: must not be resolved
            ex -> FakeGateway.reply(ex, 200,
                "<Envelope><Body><NewExternalIPAddress>attacker.example</NewExternalIPAddress>"
                    + "</Body></Envelope>"),
            ex -> FakeGateway.reply(ex, 200,
                "<Envelope><Body><NewExternalIPAddress>999.1.1.1</NewExternalIPAddress>"
                    + "</Body></Envelope>"),
            ex -> FakeGateway.reply(ex, 500, "\u0000\u0001 not a fault"))) {
      gw.control = bad::handle;
      startsAndMapsNothing(BOUND);
      upnp.close();
      upnp = null;
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= 5); // one per start
    assertThat(events).allMatch(e -> e.type() == UpnpEvent.Type.NO_GATEWAY);
    assertThat(Arrays.asList(events.stream().map(UpnpEvent::detail).toArray()))
        .anyMatch(d -> d.toString().contains("larger than"))
        .anyMatch(d -> d.toString().contains("not an IPv4 address"));
  }

  /** A handler as a lambda that may throw. */
  @FunctionalInterface
  private interface HttpHandlerBody {
    void handle(HttpExchange ex) throws IOException;
  }
}
