package org.lotusia.libp2p;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * A multiaddr: a self-describing network address such as {@code
 * /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}.
 *
 * <p>Text form: {@code /name/value/name/...}; binary form: for each component {@code varint(code)}
 * followed by the value (fixed size, or {@code varint(length)} and the bytes). The protocols
 * understood are those of {@link MultiaddrProtocol}; an address with any other protocol is
 * rejected. Values are kept canonical: IPv6 in RFC 5952 form, peer IDs in base58btc, legacy {@code
 * /ipfs} printed as {@code /p2p}, so text that parses prints the same whenever it was already
 * canonical.
 *
 * <p>Malformed input throws {@link IllegalArgumentException} naming the bad part, e.g. {@code
 * invalid /tcp port 'abc' (expected 0 to 65535) in '/ip4/1.2.3.4/tcp/abc'}. Inputs longer than
 * {@link #DEFAULT_MAX_BYTES} (binary) or four times that (text) are refused unless a larger limit
 * is passed.
 *
 * <p>Immutable and thread-safe; equality is by the binary form.
 */
public final class Multiaddr {

  /** Default limit on the binary length of a multiaddr, checked when parsing. */
  public static final int DEFAULT_MAX_BYTES = 1024;

  /**
   * The empty multiaddr (no components); printed as {@code /}. Not accepted by {@link
   * #parse(String)}.
   */
  public static final Multiaddr EMPTY = new Multiaddr(new byte[0], List.of());

  /**
   * One component of a multiaddr.
   *
   * @param protocol the protocol
   * @param value the canonical text value; empty for protocols without a value
   */
  public record Component(MultiaddrProtocol protocol, String value) {

    /**
     * Validates and canonicalises the value.
     *
     * @throws IllegalArgumentException if the value is malformed for the protocol
     */
    public Component {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(value, "value");
      if (!protocol.hasValue()) {
        if (!value.isEmpty()) {
          throw new IllegalArgumentException(
              "/" + protocol.protocolName() + " takes no value, got '" + value + "'");
        }
      } else {
        try {
          value = MultiaddrValues.canonical(protocol, value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "invalid /" + protocol.protocolName() + " " + e.getMessage(), e);
        }
      }
    }

    /**
     * A component without a value, such as {@code /ws}.
     *
     * @param protocol a protocol that takes no value
     * @return the component
     */
    public static Component of(MultiaddrProtocol protocol) {
      return new Component(protocol, "");
    }

    /**
     * The binary value (without the code or length prefix).
     *
     * @return a fresh array
     */
    public byte[] valueBytes() {
      return MultiaddrValues.toBytes(protocol, value);
    }

    /** Returns the text form, e.g. {@code /tcp/443}. */
    @Override
    public String toString() {
      return protocol.hasValue()
          ? "/" + protocol.protocolName() + "/" + value
          : "/" + protocol.protocolName();
    }
  }

  private final byte[] bytes;
  private final List<Component> components;
  private final int hash;

  private Multiaddr(byte[] bytes, List<Component> components) {
    this.bytes = bytes;
    this.components = components;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * Builds a multiaddr from components.
   *
   * @param components the components, at least one
   * @return the multiaddr
   */
  public static Multiaddr of(List<Component> components) {
    if (components.isEmpty()) {
      return EMPTY;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      writeComponent(out, c.protocol(), c.valueBytes());
    }
    return new Multiaddr(out.toByteArray(), List.copyOf(components));
  }

  /**
   * Builds a multiaddr from components.
   *
   * @param components the components
   * @return the multiaddr
   */
  public static Multiaddr of(Component... components) {
    return of(List.of(components));
  }

  /**
   * Parses the text form with the default length limit.
   *
   * @param text e.g. {@code /ip4/127.0.0.1/tcp/4001}; one trailing {@code /} is tolerated
   * @return the multiaddr
   * @throws IllegalArgumentException naming the bad part
   */
  public static Multiaddr parse(String text) {
    return parse(text, DEFAULT_MAX_BYTES);
  }

  /**
   * Parses the text form.
   *
   * @param text the text form
   * @param maxBytes largest accepted binary length; text longer than {@code 4 * maxBytes} is
   *     refused unread
   * @return the multiaddr
   * @throws IllegalArgumentException naming the bad part
   */
  public static Multiaddr parse(String text, int maxBytes) {
    if (text.length() > 4L * maxBytes) {
      throw new IllegalArgumentException(
          "multiaddr text of "
              + text.length()
              + " characters exceeds the limit of "
              + 4L * maxBytes);
    }
    if (text.isEmpty() || text.equals("/")) {
      throw new IllegalArgumentException("empty multiaddr " + quote(text));
    }
    if (text.charAt(0) != '/') {
      throw new IllegalArgumentException("multiaddr must start with '/': " + quote(text));
    }
    String body = text.endsWith("/") ? text.substring(1, text.length() - 1) : text.substring(1);
    String[] parts = body.split("/", -1);
    List<Component> comps = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i++) {
      String name = parts[i];
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty protocol name in " + quote(text));
      }
      MultiaddrProtocol p = MultiaddrProtocol.forName(name);
      if (p == null) {
        throw new IllegalArgumentException("unknown protocol '" + name + "' in " + quote(text));
      }
      byte[] value = new byte[0];
      String valueText = "";
      if (p.hasValue()) {
        if (i + 1 >= parts.length || parts[i + 1].isEmpty()) {
          throw new IllegalArgumentException("missing value for /" + name + " in " + quote(text));
        }
        String raw = parts[++i];
        try {
          if (p.kind() == MultiaddrProtocol.ValueKind.PEER_ID) {
            PeerId id = PeerId.parse(raw);
            value = id.toBytes();
            valueText = id.toBase58();
          } else {
            value = MultiaddrValues.toBytes(p, raw);
            valueText = MultiaddrValues.toText(p, value);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "invalid /" + name + " " + e.getMessage() + " in " + quote(text), e);
        }
      }
      writeComponent(out, p, value);
      comps.add(new Component(p, valueText));
    }
    if (out.size() > maxBytes) {
      throw new IllegalArgumentException(
          "multiaddr of "
              + out.size()
              + " bytes exceeds the limit of "
              + maxBytes
              + ": "
              + quote(text));
    }
    return new Multiaddr(out.toByteArray(), List.copyOf(comps));
  }

  /**
   * Decodes the binary form with the default length limit.
   *
   * @param bytes the binary multiaddr, copied
   * @return the multiaddr
   * @throws IllegalArgumentException naming the bad part and its byte offset
   */
  public static Multiaddr fromBytes(byte[] bytes) {
    return fromBytes(bytes, DEFAULT_MAX_BYTES);
  }

  /**
   * Decodes the binary form.
   *
   * @param bytes the binary multiaddr, copied
   * @param maxBytes largest accepted length
   * @return the multiaddr
   * @throws IllegalArgumentException naming the bad part and its byte offset
   */
  public static Multiaddr fromBytes(byte[] bytes, int maxBytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty binary multiaddr");
    }
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(
          "binary multiaddr of " + bytes.length + " bytes exceeds the limit of " + maxBytes);
    }
    List<Component> comps = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      int start = pos;
      try {
        Varint.Decoded code = Varint.decode(bytes, pos);
        pos += code.length();
        MultiaddrProtocol p = MultiaddrProtocol.forCode(code.value());
        if (p == null) {
          throw new IllegalArgumentException("unknown protocol code " + code.value());
        }
        int size = p.valueSize();
        if (size < 0) {
          Varint.Decoded len = Varint.decode(bytes, pos);
          pos += len.length();
          if (len.value() > bytes.length - pos) {
            throw new IllegalArgumentException(
                "/"
                    + p.protocolName()
                    + " value of "
                    + len.value()
                    + " bytes but only "
                    + (bytes.length - pos)
                    + " remain");
          }
          size = (int) len.value();
        } else if (size > bytes.length - pos) {
          throw new IllegalArgumentException(
              "/"
                  + p.protocolName()
                  + " needs "
                  + size
                  + " value bytes but only "
                  + (bytes.length - pos)
                  + " remain");
        }
        byte[] value = Arrays.copyOfRange(bytes, pos, pos + size);
        pos += size;
        String text;
        try {
          text = MultiaddrValues.toText(p, value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "invalid /" + p.protocolName() + " " + e.getMessage(), e);
        }
        comps.add(new Component(p, text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "malformed binary multiaddr at byte " + start + ": " + e.getMessage(), e);
      }
    }
    return new Multiaddr(bytes.clone(), List.copyOf(comps));
  }

  /** Quotes input for an error message, shortened so hostile input cannot flood logs. */
  private static String quote(String text) {
    return text.length() <= 200
        ? "'" + text + "'"
        : "'" + text.substring(0, 200) + "...' (" + text.length() + " characters)";
  }

  private static void writeComponent(ByteArrayOutputStream out, MultiaddrProtocol p, byte[] value) {
    out.writeBytes(Varint.encode(p.code()));
    if (p.valueSize() < 0) {
      out.writeBytes(Varint.encode(value.length));
    }
    out.writeBytes(value);
  }

  /**
   * The binary form.
   *
   * @return a fresh copy
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * The components in order.
   *
   * @return an unmodifiable list
   */
  public List<Component> components() {
    return components;
  }

  /**
   * Whether this is the empty multiaddr.
   *
   * @return true if there are no components
   */
  public boolean isEmpty() {
    return components.isEmpty();
  }

  /**
   * Whether a component with the protocol is present.
   *
   * @param protocol the protocol
   * @return true if any component uses it
   */
  public boolean has(MultiaddrProtocol protocol) {
    return components.stream().anyMatch(c -> c.protocol() == protocol);
  }

  /**
   * The value of the first component with the protocol.
   *
   * @param protocol the protocol
   * @return its canonical text value, or empty if absent
   */
  public Optional<String> valueOf(MultiaddrProtocol protocol) {
    return components.stream()
        .filter(c -> c.protocol() == protocol)
        .map(Component::value)
        .findFirst();
  }

  /**
   * This address followed by {@code inner}.
   *
   * @param inner the address to append
   * @return the combined address
   */
  public Multiaddr encapsulate(Multiaddr inner) {
    List<Component> all = new ArrayList<>(components);
    all.addAll(inner.components);
    byte[] combined = Arrays.copyOf(bytes, bytes.length + inner.bytes.length);
    System.arraycopy(inner.bytes, 0, combined, bytes.length, inner.bytes.length);
    return new Multiaddr(combined, List.copyOf(all));
  }

  /**
   * This address with {@code inner} appended as components.
   *
   * @param inner components to append
   * @return the combined address
   */
  public Multiaddr encapsulate(Component... inner) {
    return encapsulate(of(inner));
  }

  /**
   * Removes the last occurrence of {@code outer} (as a run of whole components) and everything
   * after it.
   *
   * @param outer the address to strip
   * @return the prefix before the last occurrence (possibly {@link #EMPTY}), or this address if
   *     absent
   */
  public Multiaddr decapsulate(Multiaddr outer) {
    int n = outer.components.size();
    if (n == 0) {
      return this;
    }
    for (int i = components.size() - n; i >= 0; i--) {
      if (components.subList(i, i + n).equals(outer.components)) {
        return of(components.subList(0, i));
      }
    }
    return this;
  }

  /**
   * Removes the last component with the protocol and everything after it.
   *
   * @param protocol the protocol to strip from
   * @return the prefix before it (possibly {@link #EMPTY}), or this address if absent
   */
  public Multiaddr decapsulate(MultiaddrProtocol protocol) {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol() == protocol) {
        return of(components.subList(0, i));
      }
    }
    return this;
  }

  /**
   * The peer ID of the last {@code /p2p} component anywhere in the address.
   *
   * @return the peer ID, or empty if there is no {@code /p2p}
   */
  public Optional<PeerId> peerId() {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol() == MultiaddrProtocol.P2P) {
        return Optional.of(PeerId.parse(components.get(i).value()));
      }
    }
    return Optional.empty();
  }

  /**
   * This address ending in {@code /p2p/<id>}.
   *
   * @param id the peer ID
   * @return this address if it already ends with that peer ID, else the address with it appended
   * @throws IllegalArgumentException if the address already ends with a different {@code /p2p}
   */
  public Multiaddr withPeerId(PeerId id) {
    if (!components.isEmpty()) {
      Component last = components.get(components.size() - 1);
      if (last.protocol() == MultiaddrProtocol.P2P) {
        if (last.value().equals(id.toBase58())) {
          return this;
        }
        throw new IllegalArgumentException(
            "multiaddr '" + this + "' already ends with a different peer ID");
      }
    }
    return encapsulate(new Component(MultiaddrProtocol.P2P, id.toBase58()));
  }

  /**
   * This address without a trailing {@code /p2p} component.
   *
   * @return the address without its final {@code /p2p}, or this address if it does not end with one
   */
  public Multiaddr withoutPeerId() {
    if (!components.isEmpty()
        && components.get(components.size() - 1).protocol() == MultiaddrProtocol.P2P) {
      return of(components.subList(0, components.size() - 1));
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr m && hash == m.hash && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Returns the canonical text form ({@code /} for the empty address). */
  @Override
  public String toString() {
    if (components.isEmpty()) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    for (Component c : components) {
      sb.append(c);
    }
    return sb.toString();
  }
}
