package org.lotusia.libp2p.internal.host;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.PeerId;

/**
 * Protection tags and valued tags of peers, which the {@link ConnectionTrimmer} reads. A peer is
 * protected while it has at least one protection tag; its tag value is the sum of its tags' values.
 *
 * <p>Entries stay until removed, whether or not the peer is connected, so a peer can be protected
 * or tagged before it connects; the application bounds them by what it adds. Thread-safe: each
 * peer's entry is an immutable value replaced atomically in a concurrent map.
 */
final class PeerTags {

  private final ConcurrentHashMap<PeerId, Set<String>> protections = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PeerId, Map<String, Integer>> tags = new ConcurrentHashMap<>();

  /** Adds protection {@code tag} to {@code peer}. */
  void protect(PeerId peer, String tag) {
    check(peer, tag);
    protections.compute(peer, (p, set) -> with(set, tag));
  }

  /**
   * Removes protection {@code tag} from {@code peer}.
   *
   * @return whether the peer is still protected (by another tag)
   */
  boolean unprotect(PeerId peer, String tag) {
    check(peer, tag);
    Set<String> left = protections.computeIfPresent(peer, (p, set) -> without(set, tag));
    return left != null;
  }

  boolean isProtected(PeerId peer) {
    return protections.containsKey(peer);
  }

  /** Sets {@code tag} of {@code peer} to {@code value}, replacing an earlier value. */
  void tag(PeerId peer, String tag, int value) {
    check(peer, tag);
    tags.compute(
        peer,
        (p, map) -> {
          Map<String, Integer> out = map == null ? new HashMap<>() : new HashMap<>(map);
          out.put(tag, value);
          return Map.copyOf(out);
        });
  }

  /** Removes {@code tag} from {@code peer}; nothing happens when it has no such tag. */
  void untag(PeerId peer, String tag) {
    check(peer, tag);
    tags.computeIfPresent(
        peer,
        (p, map) -> {
          if (!map.containsKey(tag)) {
            return map;
          }
          Map<String, Integer> out = new HashMap<>(map);
          out.remove(tag);
          return out.isEmpty() ? null : Map.copyOf(out);
        });
  }

  /** The sum of the values of {@code peer}'s tags; 0 when it has none. */
  long value(PeerId peer) {
    Map<String, Integer> map = tags.get(peer);
    if (map == null) {
      return 0;
    }
    long sum = 0;
    for (int v : map.values()) {
      sum += v;
    }
    return sum;
  }

  private static Set<String> with(Set<String> set, String tag) {
    Set<String> out = set == null ? new HashSet<>() : new HashSet<>(set);
    out.add(tag);
    return Set.copyOf(out);
  }

  private static Set<String> without(Set<String> set, String tag) {
    if (!set.contains(tag)) {
      return set;
    }
    Set<String> out = new HashSet<>(set);
    out.remove(tag);
    return out.isEmpty() ? null : Set.copyOf(out);
  }

  private static void check(PeerId peer, String tag) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(tag, "tag");
    if (tag.isBlank()) {
      throw new IllegalArgumentException("tag must not be blank, got '" + tag + "'");
    }
  }
}
