package org.lotusia.libp2p;

import java.util.HashMap;
import java.util.Map;

/**
 * The multiaddr protocols this SDK understands, with their multicodec codes and value sizes from
 * the multiaddr protocol table ({@code multiformats/multiaddr protocols.csv}).
 *
 * <p>Value kinds: none (a bare protocol like {@code /ws}), fixed-size binary ({@code /ip4}, ports),
 * or length-prefixed variable ({@code /dns}, {@code /p2p}).
 */
public enum MultiaddrProtocol {
  /** IPv4 address, 4 bytes. */
  IP4(4, "ip4", ValueKind.IP4),
  /** TCP port, 2 bytes big-endian. */
  TCP(6, "tcp", ValueKind.PORT),
  /** DCCP port, 2 bytes big-endian. */
  DCCP(33, "dccp", ValueKind.PORT),
  /** IPv6 address, 16 bytes. */
  IP6(41, "ip6", ValueKind.IP6),
  /** IPv6 zone (RFC 4007), variable. */
  IP6ZONE(42, "ip6zone", ValueKind.NAME),
  /** CIDR prefix length, 1 byte. */
  IPCIDR(43, "ipcidr", ValueKind.BYTE),
  /** Domain name resolving to IPv4 and IPv6 addresses. */
  DNS(53, "dns", ValueKind.NAME),
  /** Domain name resolving to IPv4 addresses. */
  DNS4(54, "dns4", ValueKind.NAME),
  /** Domain name resolving to IPv6 addresses. */
  DNS6(55, "dns6", ValueKind.NAME),
  /** Domain name whose TXT records hold multiaddrs. */
  DNSADDR(56, "dnsaddr", ValueKind.NAME),
  /** SCTP port, 2 bytes big-endian. */
  SCTP(132, "sctp", ValueKind.PORT),
  /** UDP port, 2 bytes big-endian. */
  UDP(273, "udp", ValueKind.PORT),
  /** WebRTC direct (browser to server). */
  WEBRTC_DIRECT(280, "webrtc-direct", ValueKind.NONE),
  /** WebRTC (browser to browser, signalled over a relay). */
  WEBRTC(281, "webrtc", ValueKind.NONE),
  /** Circuit relay v2 hop. */
  P2P_CIRCUIT(290, "p2p-circuit", ValueKind.NONE),
  /**
   * Peer ID (binary multihash; text base58btc or CID). The legacy name {@code ipfs} is accepted.
   */
  P2P(421, "p2p", ValueKind.PEER_ID),
  /** HTTPS (deprecated alias of /tls/http). */
  HTTPS(443, "https", ValueKind.NONE),
  /** TLS. */
  TLS(448, "tls", ValueKind.NONE),
  /** TLS server name indication, variable. */
  SNI(449, "sni", ValueKind.NAME),
  /** Noise. */
  NOISE(454, "noise", ValueKind.NONE),
  /** QUIC draft-29 (obsolete). */
  QUIC(460, "quic", ValueKind.NONE),
  /** QUIC version 1 (RFC 9000). */
  QUIC_V1(461, "quic-v1", ValueKind.NONE),
  /** WebTransport. */
  WEBTRANSPORT(465, "webtransport", ValueKind.NONE),
  /** Certificate hash (binary multihash; text multibase, printed as base64url). */
  CERTHASH(466, "certhash", ValueKind.CERTHASH),
  /** WebSocket. */
  WS(477, "ws", ValueKind.NONE),
  /** Secure WebSocket (alias of /tls/ws). */
  WSS(478, "wss", ValueKind.NONE),
  /** HTTP. */
  HTTP(480, "http", ValueKind.NONE);

  /** How a protocol's value is encoded. */
  enum ValueKind {
    NONE(0),
    IP4(4),
    IP6(16),
    PORT(2),
    BYTE(1),
    NAME(-1),
    PEER_ID(-1),
    CERTHASH(-1);

    /** Fixed byte size, or -1 for a length-prefixed value. */
    final int size;

    ValueKind(int size) {
      this.size = size;
    }
  }

  private static final Map<Integer, MultiaddrProtocol> BY_CODE = new HashMap<>();
  private static final Map<String, MultiaddrProtocol> BY_NAME = new HashMap<>();

  static {
    for (MultiaddrProtocol p : values()) {
      BY_CODE.put(p.code, p);
      BY_NAME.put(p.protocolName, p);
    }
    BY_NAME.put("ipfs", P2P);
  }

  private final int code;
  private final String protocolName;
  private final ValueKind kind;

  MultiaddrProtocol(int code, String protocolName, ValueKind kind) {
    this.code = code;
    this.protocolName = protocolName;
    this.kind = kind;
  }

  /**
   * The multicodec code.
   *
   * @return e.g. 6 for tcp
   */
  public int code() {
    return code;
  }

  /**
   * The name used in the text form.
   *
   * @return e.g. {@code "quic-v1"}
   */
  public String protocolName() {
    return protocolName;
  }

  /**
   * Whether the protocol carries a value.
   *
   * @return false for bare protocols like {@code /ws}
   */
  public boolean hasValue() {
    return kind != ValueKind.NONE;
  }

  /**
   * The size of the binary value.
   *
   * @return bytes for fixed-size values (0 for none), -1 for length-prefixed values
   */
  public int valueSize() {
    return kind.size;
  }

  ValueKind kind() {
    return kind;
  }

  /**
   * The protocol with a code.
   *
   * @param code a multicodec code
   * @return the protocol, or null if not supported
   */
  public static MultiaddrProtocol forCode(long code) {
    return code > Integer.MAX_VALUE ? null : BY_CODE.get((int) code);
  }

  /**
   * The protocol with a text name ({@code ipfs} maps to {@link #P2P}).
   *
   * @param name a protocol name
   * @return the protocol, or null if not supported
   */
  public static MultiaddrProtocol forName(String name) {
    return BY_NAME.get(name);
  }
}
