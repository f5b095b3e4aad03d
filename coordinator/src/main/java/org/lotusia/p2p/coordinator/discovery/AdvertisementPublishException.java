package org.lotusia.p2p.coordinator.discovery;

import java.util.Optional;

/**
 * Publishing an advertisement failed on GossipSub, in the DHT, or both (lotus-sdk logged these
 * failures and reported success). The advertisement stays active: it is published again at the
 * next refresh, unless withdrawn.
 */
public final class AdvertisementPublishException extends DiscoveryException {

  private static final long serialVersionUID = 1L;

  private final transient DiscoveryAdvertisement advertisement;
  private final transient Throwable gossipFailure;
  private final transient Throwable dhtFailure;

  /**
   * Creates the exception.
   *
   * @param advertisement the signed advertisement that was being published
   * @param gossipFailure why the GossipSub publication failed, or {@code null} when it succeeded
   * @param dhtFailure why the DHT announcement failed, or {@code null} when it succeeded
   */
  public AdvertisementPublishException(
      DiscoveryAdvertisement advertisement, Throwable gossipFailure, Throwable dhtFailure) {
    super(Type.PUBLISH_FAILED, message(advertisement, gossipFailure, dhtFailure),
        gossipFailure != null ? gossipFailure : dhtFailure);
    this.advertisement = advertisement;
    this.gossipFailure = gossipFailure;
    this.dhtFailure = dhtFailure;
    if (gossipFailure != null && dhtFailure != null) {
      addSuppressed(dhtFailure);
    }
  }

  private static String message(DiscoveryAdvertisement ad, Throwable gossip, Throwable dht) {
    StringBuilder sb = new StringBuilder("advertisement ").append(ad.id()).append(": ");
    if (gossip != null) {
      sb.append("GossipSub publication on ").append(ad.topic()).append(" failed (").append(gossip).append(")");
    }
    if (dht != null) {
      sb.append(gossip != null ? "; " : "").append("DHT announcement failed (").append(dht).append(")");
    }
    return sb.append("; it stays active and is published again at the next refresh").toString();
  }

  /**
   * The advertisement that was being published.
   *
   * @return the signed advertisement
   */
  public DiscoveryAdvertisement advertisement() {
    return advertisement;
  }

  /**
   * Why the GossipSub publication failed.
   *
   * @return the failure, or empty when GossipSub succeeded
   */
  public Optional<Throwable> gossipFailure() {
    return Optional.ofNullable(gossipFailure);
  }

  /**
   * Why the DHT announcement failed.
   *
   * @return the failure, or empty when the DHT succeeded
   */
  public Optional<Throwable> dhtFailure() {
    return Optional.ofNullable(dhtFailure);
  }
}
