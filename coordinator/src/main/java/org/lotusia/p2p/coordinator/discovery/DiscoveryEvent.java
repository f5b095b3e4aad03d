package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;

/**
 * What a discoverer reports to its listeners ({@link DiscoveryDiscoverer#addListener}), on the
 * coordinator's callback executor, in order per listener.
 */
public sealed interface DiscoveryEvent {

  /**
   * The advertisement concerned (for an update, the new version).
   *
   * @return the advertisement
   */
  DiscoveryAdvertisement advertisement();

  /**
   * An advertisement not known before was accepted.
   *
   * @param advertisement the advertisement
   * @param source where it came from
   */
  record Discovered(DiscoveryAdvertisement advertisement, AdvertisementSource source)
      implements DiscoveryEvent {
    /** Checks for nulls. */
    public Discovered {
      Objects.requireNonNull(advertisement, "advertisement");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * A newer version of a known advertisement (a refresh, re-signed by its owner) replaced the
   * cached one.
   *
   * @param previous the version replaced
   * @param advertisement the new version
   * @param source where the new version came from
   */
  record Updated(
      DiscoveryAdvertisement previous,
      DiscoveryAdvertisement advertisement,
      AdvertisementSource source)
      implements DiscoveryEvent {
    /** Checks for nulls. */
    public Updated {
      Objects.requireNonNull(previous, "previous");
      Objects.requireNonNull(advertisement, "advertisement");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * A cached advertisement was dropped because it expired, grew older than the policy's maximum
   * age, or was withdrawn by its owner.
   *
   * @param advertisement the dropped version
   * @param reason why
   */
  record Expired(DiscoveryAdvertisement advertisement, Reason reason) implements DiscoveryEvent {
    /** Checks for nulls. */
    public Expired {
      Objects.requireNonNull(advertisement, "advertisement");
      Objects.requireNonNull(reason, "reason");
    }

    /** Why an advertisement left the cache. */
    public enum Reason {
      /** Its {@code expiresAt} passed. */
      EXPIRED,
      /** It was not refreshed within the maximum advertisement age. */
      TOO_OLD,
      /** Its owner published a withdrawal notice. */
      WITHDRAWN
    }
  }
}
