package org.lotusia.libp2p.protocol.kad;

/**
 * Checks a record offered for one key namespace (the {@code ns} of keys {@code /ns/...}). The DHT
 * stores and accepts only records whose namespace has a validator, as js-libp2p does.
 *
 * <p>Called on the DHT's executor, and on the caller's thread by {@link KadDht#put}; must be fast,
 * thread-safe and must not block.
 */
@FunctionalInterface
public interface RecordValidator {

  /**
   * Accepts the record by returning, rejects it by throwing.
   *
   * @param key the full record key, e.g. {@code /lotus/resource:x:1}
   * @param value the record value
   * @throws IllegalArgumentException (or any runtime exception) saying why the record is invalid
   */
  void validate(byte[] key, byte[] value);
}
