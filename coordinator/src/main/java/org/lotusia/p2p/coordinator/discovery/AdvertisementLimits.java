package org.lotusia.p2p.coordinator.discovery;

/**
 * Bounds on an advertisement read from the network; anything beyond them is refused before it is
 * verified, cached or handed to an application. The defaults leave ample room for lotus-sdk's
 * advertisements (a few hundred bytes, a MuSig2 signing request with a transaction a few KiB).
 *
 * @param maxBytes the largest transport JSON, in bytes (default 64 KiB)
 * @param maxIdLength the longest advertisement ID, in characters (default 256)
 * @param maxMultiaddrs the most addresses in {@code peerInfo.multiaddrs} (default 32)
 * @param maxMultiaddrLength the longest address text (default 1024)
 * @param maxCapabilities the most capabilities (default 64)
 * @param maxCapabilityLength the longest capability (default 128)
 */
public record AdvertisementLimits(
    int maxBytes,
    int maxIdLength,
    int maxMultiaddrs,
    int maxMultiaddrLength,
    int maxCapabilities,
    int maxCapabilityLength) {

  /** The defaults. */
  public static final AdvertisementLimits DEFAULT = new AdvertisementLimits(65_536, 256, 32, 1024, 64, 128);

  /**
   * Checks that every limit is positive.
   *
   * @throws IllegalArgumentException naming the first limit below 1 (or {@code maxBytes} below 256)
   */
  public AdvertisementLimits {
    if (maxBytes < 256) {
      throw new IllegalArgumentException("maxBytes must be at least 256, got " + maxBytes);
    }
    positive(maxIdLength, "maxIdLength");
    positive(maxMultiaddrs, "maxMultiaddrs");
    positive(maxMultiaddrLength, "maxMultiaddrLength");
    positive(maxCapabilities, "maxCapabilities");
    positive(maxCapabilityLength, "maxCapabilityLength");
  }

  private static void positive(int v, String name) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + v);
    }
  }
}
