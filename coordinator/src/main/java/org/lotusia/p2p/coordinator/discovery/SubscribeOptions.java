package org.lotusia.p2p.coordinator.discovery;

/**
 * Options of {@link DiscoveryDiscoverer#subscribe} (lotus-sdk's {@code SubscriptionOptions}).
 *
 * @param fetchExisting also deliver the matching advertisements already cached, and look for
 *     others in the DHT (default true)
 * @param includeUpdates also deliver newer versions (refreshes) of advertisements delivered before;
 *     by default each advertisement is delivered once (lotus-sdk's {@code deduplicate: true})
 */
public record SubscribeOptions(boolean fetchExisting, boolean includeUpdates) {

  /** Fetch existing advertisements; deliver each advertisement once. */
  public static final SubscribeOptions DEFAULT = new SubscribeOptions(true, false);
}
