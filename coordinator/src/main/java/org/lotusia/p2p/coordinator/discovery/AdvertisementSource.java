package org.lotusia.p2p.coordinator.discovery;

/** Where an advertisement came from (lotus-sdk's cache entry {@code source}). */
public enum AdvertisementSource {
  /** A message on the protocol's GossipSub topic; its author is authenticated by GossipSub. */
  GOSSIPSUB("gossipsub"),
  /** A {@code discovery-advertisement} resource in the DHT, signed by its creator's identity. */
  DHT("dht"),
  /** Handed to the discoverer by the application (for example from a direct message). */
  DIRECT("direct");

  private final String wireName;

  AdvertisementSource(String wireName) {
    this.wireName = wireName;
  }

  /**
   * lotus-sdk's name of the source.
   *
   * @return {@code gossipsub}, {@code dht} or {@code direct}
   */
  public String wireName() {
    return wireName;
  }
}
