package org.lotusia.libp2p.upnp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small UPnP Internet Gateway Device for tests (on 127.0.0.1 unless given an address): answers
 * SSDP M-SEARCH on a UDP port of its own, serves a device description and a WANIPConnection (or
 * WANPPPConnection) control URL over HTTP, and keeps a port mapping table. Knobs make it hostile: raw SSDP answers, description
 * and control handlers replaced, UPnP errors.
 */
public final class FakeGateway implements AutoCloseable {

  /** One SOAP call received: the action and its arguments. */
  public record Call(String action, Map<String, String> args) {}

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final Map<Integer, Map<String, String>> table = new ConcurrentHashMap<>();
  final Set<Integer> takenPorts = ConcurrentHashMap.newKeySet();
  final CountDownLatch release = new CountDownLatch(1);
  public volatile String externalIp = "203.0.113.7";
  volatile String serviceType = "urn:schemas-upnp-org:service:WANIPConnection:1";
  volatile boolean onlyPermanentLeases;
  volatile int failAddWith; // a UPnP error code for every AddPortMapping, 0 for none
  volatile List<byte[]> ssdpAnswers; // null: the normal answer
  volatile HttpHandler description; // null: the normal description
  volatile HttpHandler control; // null: the normal SOAP service
  /** Called after each change of {@link #table}, on the HTTP thread; a router applies it. */
  public volatile Runnable onTableChange = () -> {};

  private final DatagramSocket ssdp;
  private final HttpServer http;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Thread ssdpThread;

  /** Starts the gateway on 127.0.0.1, SSDP on a free port. */
  public FakeGateway() throws IOException {
    this(InetAddress.getLoopbackAddress(), 0);
  }

  /**
   * Starts the gateway on {@code address}: SSDP on {@code ssdpPort} (0 for a free one), HTTP on a
   * free port.
   */
  public FakeGateway(InetAddress address, int ssdpPort) throws IOException {
    ssdp = new DatagramSocket(new InetSocketAddress(address, ssdpPort));
    http = HttpServer.create(new InetSocketAddress(address, 0), 16);
    http.setExecutor(pool);
    http.createContext("/desc.xml", ex -> {
      HttpHandler h = description;
      if (h == null) {
        describe(ex);
      } else {
        h.handle(ex);
      }
    });
    http.createContext("/ctl", ex -> {
      HttpHandler h = control;
      if (h == null) {
        soap(ex);
      } else {
        h.handle(ex);
      }
    });
    http.start();
    ssdpThread = new Thread(this::answerSsdp, "fake-gateway-ssdp");
    ssdpThread.setDaemon(true);
    ssdpThread.start();
  }

  /** Where the M-SEARCH goes. */
  public InetSocketAddress ssdpAddress() {
    return (InetSocketAddress) ssdp.getLocalSocketAddress();
  }

  /** The base URL of the HTTP side. */
  String httpBase() {
    return "http://" + http.getAddress().getAddress().getHostAddress() + ":"
        + http.getAddress().getPort();
  }

  /** The normal SSDP answer. */
  byte[] normalAnswer() {
    return ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nEXT:\r\n"
            + "LOCATION: " + httpBase() + "/desc.xml\r\nSERVER: fake/1.0 UPnP/1.1 gw/1.0\r\n"
            + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
            + "USN: uuid:fake-gw::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** SOAP calls of {@code action} so far. */
  public List<Call> calls(String action) {
    return calls.stream().filter(c -> c.action().equals(action)).toList();
  }

  private void answerSsdp() {
    byte[] buf = new byte[2048];
    while (!ssdp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        ssdp.receive(p);
        String req = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
        if (!req.startsWith("M-SEARCH * HTTP/1.1") || !req.contains("ssdp:discover")
            || !req.contains("InternetGatewayDevice")) {
          continue;
        }
        List<byte[]> answers = ssdpAnswers != null ? ssdpAnswers : List.of(normalAnswer());
        for (byte[] a : answers) {
          ssdp.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void describe(HttpExchange ex) throws IOException {
    String xml =
        "<?xml version=\"1.0\"?>\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
            + "<specVersion><major>1</major><minor>0</minor></specVersion><device>"
            + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
            + "<deviceList><device>"
            + "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>"
            + "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>"
            + "<serviceList><service><serviceType>" + serviceType + "</serviceType>"
            + "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>"
            + "<controlURL>/ctl</controlURL><eventSubURL>/evt</eventSubURL><SCPDURL>/scpd.xml</SCPDURL>"
            + "</service></serviceList></device></deviceList></device></deviceList></device></root>";
    reply(ex, 200, xml);
  }

  private static final Pattern ARG = Pattern.compile("<(New\\w+)>([^<]*)</New\\w+>");

  private void soap(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readNBytes(64 << 10), StandardCharsets.UTF_8);
    String header = String.valueOf(ex.getRequestHeaders().getFirst("SOAPAction"));
    String action = header.substring(header.indexOf('#') + 1).replace("\"", "");
    Map<String, String> args = new ConcurrentHashMap<>();
    Matcher m = ARG.matcher(body);
    while (m.find()) {
      args.put(m.group(1), m.group(2));
    }
    calls.add(new Call(action, Map.copyOf(args)));
    switch (action) {
      case "GetExternalIPAddress" ->
          ok(ex, action, "<NewExternalIPAddress>" + externalIp + "</NewExternalIPAddress>");
      case "AddPortMapping" -> {
        int port = Integer.parseInt(args.get("NewExternalPort"));
        if (failAddWith != 0) {
          fault(ex, failAddWith, "refused by the test");
        } else if (onlyPermanentLeases && !"0".equals(args.get("NewLeaseDuration"))) {
          fault(ex, 725, "OnlyPermanentLeasesSupported");
        } else if (takenPorts.contains(port)) {
          fault(ex, 718, "ConflictInMappingEntry");
        } else {
          table.put(port, Map.copyOf(args));
          onTableChange.run();
          ok(ex, action, "");
        }
      }
      case "DeletePortMapping" -> {
        if (table.remove(Integer.parseInt(args.get("NewExternalPort"))) == null) {
          fault(ex, 714, "NoSuchEntryInArray");
        } else {
          onTableChange.run();
          ok(ex, action, "");
        }
      }
      default -> fault(ex, 401, "Invalid Action");
    }
  }

  private void ok(HttpExchange ex, String action, String inner) throws IOException {
    reply(ex, 200,
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<s:Body><u:" + action + "Response xmlns:u=\"" + serviceType + "\">" + inner
            + "</u:" + action + "Response></s:Body></s:Envelope>");
  }

  private static void fault(HttpExchange ex, int code, String text) throws IOException {
    reply(ex, 500,
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>"
            + "<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>" + code
            + "</errorCode><errorDescription>" + text + "</errorDescription></UPnPError></detail>"
            + "</s:Fault></s:Body></s:Envelope>");
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/xml; charset=\"utf-8\"");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    release.countDown();
    ssdp.close();
    http.stop(0);
    pool.shutdownNow();
  }
}
