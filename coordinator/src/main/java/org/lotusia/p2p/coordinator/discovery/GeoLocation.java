package org.lotusia.p2p.coordinator.discovery;

/**
 * A point on the earth in degrees, as lotus-sdk's {@code location: {latitude, longitude}} of an
 * advertisement.
 *
 * @param latitude degrees north, from -90 to 90
 * @param longitude degrees east, from -180 to 180
 */
public record GeoLocation(double latitude, double longitude) {

  /** Mean earth radius used by lotus-sdk's haversine distance, in kilometres. */
  public static final double EARTH_RADIUS_KM = 6371;

  /**
   * Checks the ranges.
   *
   * @throws IllegalArgumentException when a coordinate is not finite or out of range
   */
  public GeoLocation {
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new IllegalArgumentException("latitude must be from -90 to 90 degrees, got " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException(
          "longitude must be from -180 to 180 degrees, got " + longitude);
    }
  }

  /**
   * The great-circle distance to another point by the haversine formula with a radius of {@value
   * #EARTH_RADIUS_KM} km, as lotus-sdk computes it.
   *
   * @param other the other point
   * @return the distance in kilometres
   */
  public double distanceKm(GeoLocation other) {
    double dLat = Math.toRadians(other.latitude - latitude);
    double dLon = Math.toRadians(other.longitude - longitude);
    double a =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(latitude))
                * Math.cos(Math.toRadians(other.latitude))
                * Math.sin(dLon / 2)
                * Math.sin(dLon / 2);
    return EARTH_RADIUS_KM * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }
}
