package org.lotusia.libp2p.protocol.kad;

import java.util.List;

/**
 * Chooses the best of several valid values found for one key of a namespace; {@link KadDht#get}
 * returns it and sends it as a correction to peers that answered with another value.
 *
 * <p>Called on the DHT's executor; must be fast and must not block.
 */
@FunctionalInterface
public interface RecordSelector {

  /** The selector that prefers the first value (values arrive in no particular order). */
  RecordSelector FIRST = (key, values) -> 0;

  /**
   * Returns the index of the best value.
   *
   * @param key the record key
   * @param values at least one validated value
   * @return an index into {@code values}
   */
  int select(byte[] key, List<byte[]> values);
}
