package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;

/**
 * What an advertiser reports to its listeners ({@link DiscoveryAdvertiser#addListener}), on the
 * coordinator's callback executor, in order per listener. Failures of automatic refreshes are
 * reported here (lotus-sdk only logged them).
 */
public sealed interface AdvertiserEvent {

  /**
   * The advertisement's ID.
   *
   * @return the ID
   */
  String id();

  /**
   * A version was published on GossipSub and in the DHT.
   *
   * @param advertisement the published version
   * @param refresh whether it was a refresh (a new version of an active advertisement)
   */
  record Published(DiscoveryAdvertisement advertisement, boolean refresh) implements AdvertiserEvent {
    /** Checks for nulls. */
    public Published {
      Objects.requireNonNull(advertisement, "advertisement");
    }

    @Override
    public String id() {
      return advertisement.id();
    }
  }

  /**
   * Publishing (or preparing) a version failed; an active advertisement is tried again later.
   *
   * @param id the advertisement's ID
   * @param error why ({@link AdvertisementPublishException} when publishing failed)
   */
  record PublishFailed(String id, Throwable error) implements AdvertiserEvent {
    /** Checks for nulls. */
    public PublishFailed {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The advertisement was withdrawn: no longer refreshed, its DHT resource withdrawn, and a
   * withdrawal notice published (or skipped, see {@link DiscoveryAdvertiser#close()}).
   *
   * @param id the advertisement's ID
   */
  record Withdrawn(String id) implements AdvertiserEvent {
    /** Checks for nulls. */
    public Withdrawn {
      Objects.requireNonNull(id, "id");
    }
  }
}
