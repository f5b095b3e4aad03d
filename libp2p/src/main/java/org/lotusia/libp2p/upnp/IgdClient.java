package org.lotusia.libp2p.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The SOAP client of one gateway's WAN connection service (WANIPConnection:2, WANIPConnection:1 or
 * WANPPPConnection:1): {@code GetExternalIPAddress}, {@code AddPortMapping} and {@code
 * DeletePortMapping}. Made from a device description, whose control URL must be on the host that
 * served the description. Every exchange is bounded by {@link BoundedHttp}. Blocking; used from
 * the UPnP service thread only.
 *
 * @param control the control URL
 * @param serviceType the service type URN, used in the SOAP action
 * @param gateway the gateway's IP
 */
record IgdClient(URI control, String serviceType, InetAddress gateway) {

  /** The WAN connection services, most preferred first. */
  static final List<String> SERVICES =
      List.of(
          "urn:schemas-upnp-org:service:WANIPConnection:2",
          "urn:schemas-upnp-org:service:WANIPConnection:1",
          "urn:schemas-upnp-org:service:WANPPPConnection:1");

  /** {@code ConflictInMappingEntry}: the external port is mapped to another client. */
  static final int CONFLICT = 718;

  /** {@code OnlyPermanentLeasesSupported} (IGD v1 gateways that refuse finite leases). */
  static final int ONLY_PERMANENT = 725;

  /**
   * Fetches the description at {@code location} and finds the WAN connection service.
   *
   * @throws IOException when the description cannot be had, is not acceptable XML, has no WAN
   *     connection service, or points its control URL at another host
   */
  static IgdClient fromDescription(URI location, BoundedHttp http, UpnpConfig config)
      throws IOException {
    BoundedHttp.Response r =
        http.exchange(HttpRequest.newBuilder(location).GET().build(), config.maxDescription());
    if (r.status() != 200) {
      throw new IOException(location + ": description answered HTTP " + r.status());
    }
    Document doc = Xml.parse(r.body());
    URI base = location;
    String urlBase = Xml.text(doc, "URLBase").orElse("");
    if (!urlBase.isEmpty()) {
      try {
        base = new URI(urlBase);
      } catch (java.net.URISyntaxException e) {
        throw new IOException(location + ": bad URLBase", e);
      }
    }
    InetAddress gateway =
        Ip4.literal(location.getHost())
            .orElseThrow(() -> new IOException(location + ": not an IPv4 host"));
    for (String wanted : SERVICES) {
      for (Element service : Xml.all(doc, "service")) {
        if (!Xml.text(service, "serviceType").orElse("").equals(wanted)) {
          continue;
        }
        String path =
            Xml.text(service, "controlURL")
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IOException(location + ": " + wanted + " has no controlURL"));
        URI control;
        try {
          control = base.resolve(path);
        } catch (IllegalArgumentException e) {
          throw new IOException(location + ": bad controlURL " + path, e);
        }
        if (!"http".equalsIgnoreCase(control.getScheme())
            || !Ip4.literal(control.getHost()).map(gateway::equals).orElse(false)) {
          throw new IOException(location + ": controlURL on another host: " + control);
        }
        return new IgdClient(control, wanted, gateway);
      }
    }
    throw new IOException(location + ": no WANIPConnection or WANPPPConnection service");
  }

  /** The gateway's external IPv4 address (a literal; never resolved). */
  InetAddress externalAddress(BoundedHttp http, UpnpConfig config) throws IOException {
    Document d = call(http, config, "GetExternalIPAddress", Map.of());
    String text =
        Xml.text(d, "NewExternalIPAddress")
            .orElseThrow(() -> new IOException("GetExternalIPAddress: no NewExternalIPAddress"));
    return Ip4.literal(text)
        .orElseThrow(
            () -> new IOException("GetExternalIPAddress: not an IPv4 address: " + clip(text)));
  }

  /** Maps TCP {@code externalPort} to {@code client:internalPort} for {@code leaseSeconds}. */
  void addPortMapping(
      BoundedHttp http, UpnpConfig config, int externalPort, InetAddress client, int internalPort,
      long leaseSeconds) throws IOException {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("NewRemoteHost", "");
    args.put("NewExternalPort", Integer.toString(externalPort));
    args.put("NewProtocol", "TCP");
    args.put("NewInternalPort", Integer.toString(internalPort));
    args.put("NewInternalClient", client.getHostAddress());
    args.put("NewEnabled", "1");
    args.put("NewPortMappingDescription", config.description());
    args.put("NewLeaseDuration", Long.toString(leaseSeconds));
    call(http, config, "AddPortMapping", args);
  }

  /** Removes the TCP mapping of {@code externalPort}. */
  void deletePortMapping(BoundedHttp http, UpnpConfig config, int externalPort)
      throws IOException {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("NewRemoteHost", "");
    args.put("NewExternalPort", Integer.toString(externalPort));
    args.put("NewProtocol", "TCP");
    call(http, config, "DeletePortMapping", args);
  }

  private Document call(BoundedHttp http, UpnpConfig config, String action, Map<String, String> args)
      throws IOException {
    StringBuilder body =
        new StringBuilder(
            "<?xml version=\"1.0\"?>\r\n<s:Envelope"
                + " xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>");
    body.append("<u:").append(action).append(" xmlns:u=\"").append(serviceType).append("\">");
    args.forEach(
        (k, v) -> body.append('<').append(k).append('>').append(Xml.escape(v))
            .append("</").append(k).append('>'));
    body.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n");
    HttpRequest req =
        HttpRequest.newBuilder(control)
            .header("Content-Type", "text/xml; charset=\"utf-8\"")
            .header("SOAPAction", "\"" + serviceType + "#" + action + "\"")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    BoundedHttp.Response r = http.exchange(req, config.maxSoapResponse());
    if (r.status() == 200) {
      return Xml.parse(r.body());
    }
    // a SOAP fault (HTTP 500) carries the UPnP error code
    Optional<Integer> code = Optional.empty();
    String description = "HTTP " + r.status();
    if (r.status() == 500) {
      try {
        Document fault = Xml.parse(r.body());
        code = Xml.text(fault, "errorCode").filter(s -> s.matches("\\d{1,4}")).map(Integer::valueOf);
        description = Xml.text(fault, "errorDescription").map(IgdClient::clip).orElse(description);
      } catch (IOException e) {
        description = "HTTP 500 with a body that is not a SOAP fault";
      }
    }
    throw new UpnpException(action, code.orElse(0), description);
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
