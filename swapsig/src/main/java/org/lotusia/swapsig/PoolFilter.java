package org.lotusia.swapsig;

import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * Which pools {@link SwapSigManager#discoverPools} returns (lotus-sdk's {@code discoverPools}
 * filters). A null component does not filter. Immutable.
 *
 * @param denomination only pools of this denomination
 * @param minParticipants only pools that run with at most this many participants ({@code
 *     minParticipants} of the pool not above it)
 * @param maxParticipants only pools whose {@code maxParticipants} is not above it
 */
public record PoolFilter(Long denomination, Integer minParticipants, Integer maxParticipants) {

  /** No filter. */
  public static final PoolFilter ANY = new PoolFilter(null, null, null);

  /** @return pools of one denomination */
  public static PoolFilter denomination(long sats) {
    return new PoolFilter(sats, null, null);
  }

  /** Whether an announcement passes. */
  public boolean accepts(PoolAnnouncement a) {
    PoolParameters p = a.params();
    return (denomination == null || p.denomination() == denomination)
        && (minParticipants == null || p.minParticipants() <= minParticipants)
        && (maxParticipants == null || p.maxParticipants() <= maxParticipants);
  }
}
