package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;

/**
 * Identifies an advertisement across its versions: the advertising peer and the advertisement ID.
 * lotus-sdk keys its caches by the ID alone, which lets any peer displace another's advertisement by
 * reusing its ID; here an ID is only ever compared within one peer's advertisements.
 *
 * @param peerId the advertising peer ({@code peerInfo.peerId})
 * @param id the advertisement ID
 */
public record AdvertisementKey(String peerId, String id) {

  /** Checks for nulls. */
  public AdvertisementKey {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String toString() {
    return peerId + "/" + id;
  }
}
