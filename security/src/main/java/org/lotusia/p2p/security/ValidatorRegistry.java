package org.lotusia.p2p.security;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Protocol validators by name with lotus-sdk's lookup: the exact name, else the first registered
 * name (in registration order) that is a prefix of the looked-up string. Thread-safe; lookups do
 * not lock.
 */
final class ValidatorRegistry {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ValidatorRegistry.class);

  private final Map<String, ProtocolValidator> byName = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<String> order = new CopyOnWriteArrayList<>();

  synchronized void register(String name, ProtocolValidator validator) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("protocol name must be a non-empty string");
    }
    Objects.requireNonNull(validator, "validator");
    if (byName.put(name, validator) == null) {
      order.add(name);
    }
  }

  synchronized boolean unregister(String name) {
    if (byName.remove(name) == null) {
      return false;
    }
    order.remove(name);
    return true;
  }

  /** The validator for a resource type or message protocol, or {@code null}. */
  ProtocolValidator lookup(String key) {
    if (key == null || key.isEmpty()) {
      return null;
    }
    ProtocolValidator exact = byName.get(key);
    if (exact != null) {
      return exact;
    }
    for (String name : order) {
      if (key.startsWith(name)) {
        ProtocolValidator v = byName.get(name);
        if (v != null) {
          return v;
        }
      }
    }
    return null;
  }

  /** Runs a validator call; an exception counts as a rejection (and is logged). */
  static boolean call(java.util.function.BooleanSupplier call) {
    try {
      return call.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("protocol validator threw; treating as rejection", e);
      return false;
    }
  }
}
