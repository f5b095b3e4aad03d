package org.lotusia.libp2p.upnp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSDP discovery of Internet Gateway Devices (UPnP Device Architecture 1.1, section 1.3.2): one
 * {@code M-SEARCH} per IGD version, answers collected until the discovery timeout. Each answer is
 * read into a buffer of {@link UpnpConfig#maxSsdpReply()} bytes (the rest of a larger datagram is
 * dropped by the socket); only {@code http} {@code LOCATION}s whose host is the IP the answer came
 * from are kept, so a device cannot send the node to fetch from a third host; at most {@link
 * UpnpConfig#maxGateways()} distinct locations are returned. Blocking; runs on the caller's thread.
 */
final class SsdpSearch {

  private static final Logger LOG = LoggerFactory.getLogger(SsdpSearch.class);

  static final String IGD_1 = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
  static final String IGD_2 = "urn:schemas-upnp-org:device:InternetGatewayDevice:2";

  private SsdpSearch() {}

  /** The M-SEARCH request for {@code searchTarget}; MX 2 s (the answer spread of the spec). */
  static byte[] request(String searchTarget) {
    return ("M-SEARCH * HTTP/1.1\r\n"
            + "HOST: 239.255.255.250:1900\r\n"
            + "MAN: \"ssdp:discover\"\r\n"
            + "MX: 2\r\n"
            + "ST: " + searchTarget + "\r\n"
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends the searches and returns the description URLs found, in order of arrival. */
  static List<URI> search(UpnpConfig config) throws IOException {
    List<URI> found = new ArrayList<>();
    long deadline = System.nanoTime() + config.discoveryTimeout().toNanos();
    try (DatagramSocket socket = new DatagramSocket()) {
      for (String st : List.of(IGD_2, IGD_1)) {
        byte[] req = request(st);
        socket.send(new DatagramPacket(req, req.length, config.ssdpTarget()));
      }
      byte[] buf = new byte[config.maxSsdpReply()];
      while (found.size() < config.maxGateways()) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        socket.setSoTimeout((int) Math.max(1, left));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        URI location = location(buf, p.getLength(), p.getAddress());
        if (location != null && !found.contains(location)) {
          found.add(location);
        }
      }
    }
    return found;
  }

  /**
   * The {@code LOCATION} of an answer, or null when the answer is not a usable IGD answer: not
   * {@code HTTP/1.1 200}, no location, not {@code http}, or a host other than {@code from}.
   */
  static URI location(byte[] data, int length, InetAddress from) {
    String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n");
    if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 200")) {
      return null;
    }
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("location")) {
        String value = line.substring(colon + 1).trim();
        try {
          URI uri = new URI(value);
          if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            LOG.debug("ssdp answer from {} with an unusable location {}", from, value);
            return null;
          }
          if (!Ip4.literal(uri.getHost()).map(from::equals).orElse(false)) {
            LOG.debug("ssdp answer from {} points to another host: {}", from, value);
            return null;
          }
          return uri;
        } catch (java.net.URISyntaxException e) {
          return null;
        }
      }
    }
    return null;
  }
}
