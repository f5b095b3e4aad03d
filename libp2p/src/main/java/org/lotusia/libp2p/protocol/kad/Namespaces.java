package org.lotusia.libp2p.protocol.kad;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;

/**
 * Record validation and selection by key namespace, with js-libp2p kad-dht's rules: the namespace
 * is the text between the first and second {@code /} of the key, a key needs at least three {@code
 * /}-separated parts, and an unknown namespace is rejected. The built-in {@code pk} namespace holds
 * public keys under {@code /pk/<peer id bytes>}.
 */
final class Namespaces {
  private static final String PK = "pk";

  private final Map<String, RecordValidator> validators;
  private final Map<String, RecordSelector> selectors;
  private final RecordValidator unnamespaced;
  private final RecordSelector unnamespacedSelector;

  Namespaces(Map<String, RecordValidator> validators, Map<String, RecordSelector> selectors) {
    this(validators, selectors, null, RecordSelector.FIRST);
  }

  Namespaces(
      Map<String, RecordValidator> validators,
      Map<String, RecordSelector> selectors,
      RecordValidator unnamespaced) {
    this(validators, selectors, unnamespaced, RecordSelector.FIRST);
  }

  Namespaces(
      Map<String, RecordValidator> validators,
      Map<String, RecordSelector> selectors,
      RecordValidator unnamespaced,
      RecordSelector unnamespacedSelector) {
    this.unnamespaced = unnamespaced;
    this.unnamespacedSelector = unnamespacedSelector;
    this.validators = new HashMap<>(validators);
    this.selectors = new HashMap<>(selectors);
    this.validators.putIfAbsent(PK, Namespaces::validatePublicKey);
    this.selectors.putIfAbsent(PK, RecordSelector.FIRST);
  }

  /**
   * The namespace of {@code key}.
   *
   * @throws IllegalArgumentException when the key has none
   */
  static String namespace(byte[] key) {
    String[] parts = new String(key, StandardCharsets.UTF_8).split("/", -1);
    // as js: "/ns/x" and also "a/ns/x" (whose namespace is "ns"); fewer than three parts: none
    if (parts.length < 3) {
      throw new IllegalArgumentException("record key is missing a namespace (expected /ns/...)");
    }
    return parts[1];
  }

  private static Optional<String> namespaceIfAny(byte[] key) {
    try {
      return Optional.of(namespace(key));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Validates a record.
   *
   * @throws IllegalArgumentException when the namespace is unknown or its validator rejects it
   */
  void validate(byte[] key, byte[] value) {
    Optional<String> maybeNs = namespaceIfAny(key);
    if (maybeNs.isEmpty()) {
      if (unnamespaced == null) {
        throw new IllegalArgumentException(
            "record key has no namespace (expected /ns/...) and no unnamespacedValidator is"
                + " configured for keys without one");
      }
      try {
        unnamespaced.validate(key, value);
        return;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "record without namespace rejected by the unnamespacedValidator: " + e.getMessage(), e);
      }
    }
    String ns = maybeNs.get();
    RecordValidator v = validators.get(ns);
    if (v == null) {
      throw new IllegalArgumentException("no validator for record namespace '" + ns + "'");
    }
    try {
      v.validate(key, value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "record rejected by the '" + ns + "' validator: " + e.getMessage(), e);
    }
  }

  /** Whether the record is valid; see {@link #validate}. */
  boolean isValid(byte[] key, byte[] value) {
    try {
      validate(key, value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The index of the best of {@code values}, by the namespace's selector (default: first). */
  int select(byte[] key, List<byte[]> values) {
    if (values.size() == 1) {
      return 0;
    }
    RecordSelector s =
        namespaceIfAny(key)
            .map(ns -> selectors.getOrDefault(ns, RecordSelector.FIRST))
            .orElse(unnamespacedSelector);
    int i = s.select(key, List.copyOf(values));
    if (i < 0 || i >= values.size()) {
      throw new IllegalStateException(
          "selector returned index " + i + " for " + values.size() + " values");
    }
    return i;
  }

  /**
   * Whether the selector prefers {@code candidate} to {@code other}: it chooses index 0 of {@code
   * [candidate, other]}. Equal values are not preferred over each other.
   */
  boolean prefers(byte[] key, byte[] candidate, byte[] other) {
    if (Arrays.equals(candidate, other)) {
      return false;
    }
    return select(key, List.of(candidate, other)) == 0;
  }

  private static void validatePublicKey(byte[] key, byte[] value) {
    byte[] prefix = "/pk/".getBytes(StandardCharsets.US_ASCII);
    if (key.length <= prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, 4)) {
      throw new IllegalArgumentException("a pk key is /pk/<peer id bytes>");
    }
    byte[] id = Arrays.copyOfRange(key, prefix.length, key.length);
    PeerId peer = PeerId.fromPublicKey(Keys.decodePublicKey(value));
    if (!Arrays.equals(peer.toBytes(), id)) {
      throw new IllegalArgumentException("public key does not match the peer ID of the key");
    }
  }
}
