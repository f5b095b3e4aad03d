package org.lotusia.libp2p.upnp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Strict dotted-quad IPv4 parsing: text from a gateway is never handed to a resolver, so a hostile
 * device cannot make the node look names up.
 */
final class Ip4 {

  private Ip4() {}

  /** The address {@code text} spells ({@code a.b.c.d}, each 0 to 255), or empty. */
  static Optional<InetAddress> literal(String text) {
    if (text == null || text.length() > 15) {
      return Optional.empty();
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return Optional.empty();
      }
      b[i] = (byte) v;
    }
    try {
      return Optional.of(InetAddress.getByAddress(b));
    } catch (UnknownHostException e) {
      return Optional.empty(); // not reachable: four bytes are always a valid address
    }
  }
}
