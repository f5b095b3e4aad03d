package org.lotusia.libp2p.upnp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link UpnpNat}. Every read from the LAN is bounded in size and time, because any
 * device on the LAN can answer a discovery.
 *
 * @param ssdpTarget where the M-SEARCH goes (default the SSDP multicast group {@code
 *     239.255.255.250:1900}; a test points it at its own gateway)
 * @param discoveryTimeout how long SSDP answers are collected (default 3 s)
 * @param httpTimeout the whole of one HTTP exchange with the gateway, connect to last byte
 *     (default 5 s)
 * @param leaseDuration the lease asked for each mapping, renewed at half of it; {@link
 *     Duration#ZERO} asks for a permanent mapping (default 1 h)
 * @param maxSsdpReply bytes read of one SSDP answer; the rest of the datagram is dropped (default
 *     2048; real answers are a few hundred bytes)
 * @param maxDescription bytes read of a device description (default 64 KiB)
 * @param maxSoapResponse bytes read of a SOAP response (default 16 KiB)
 * @param maxGateways distinct gateways (description URLs) tried from one discovery (default 4)
 * @param description the mapping description shown in the gateway's table (default {@code
 *     lotus-p2p}; at most 64 printable ASCII characters)
 * @param confirmMappings advertise a mapped address at once instead of waiting for AutoNAT to
 *     confirm it reachable (default false: a gateway may map a port that its own upstream NAT or a
 *     firewall still blocks)
 */
public record UpnpConfig(
    InetSocketAddress ssdpTarget,
    Duration discoveryTimeout,
    Duration httpTimeout,
    Duration leaseDuration,
    int maxSsdpReply,
    int maxDescription,
    int maxSoapResponse,
    int maxGateways,
    String description,
    boolean confirmMappings) {

  /** The SSDP multicast group and port (UPnP Device Architecture 1.1, section 1.3.2). */
  public static final InetSocketAddress SSDP_MULTICAST =
      new InetSocketAddress("239.255.255.250", 1900);

  /** The defaults above. */
  public static final UpnpConfig DEFAULT = builder().build();

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting out of range
   */
  public UpnpConfig {
    Objects.requireNonNull(ssdpTarget, "ssdpTarget");
    positive(discoveryTimeout, "discoveryTimeout");
    positive(httpTimeout, "httpTimeout");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.isNegative() || leaseDuration.toSeconds() > 604_800
        || (!leaseDuration.isZero() && leaseDuration.toSeconds() < 2)) {
      throw new IllegalArgumentException(
          "leaseDuration must be 0 (permanent) or 2 s to 7 days (the IGD v2 maximum), got "
              + leaseDuration);
    }
    range(maxSsdpReply, 256, 65_507, "maxSsdpReply");
    range(maxDescription, 1024, 16 << 20, "maxDescription");
    range(maxSoapResponse, 512, 1 << 20, "maxSoapResponse");
    range(maxGateways, 1, 64, "maxGateways");
    Objects.requireNonNull(description, "description");
    if (description.isEmpty() || description.length() > 64
        || !description.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "description must be 1 to 64 printable ASCII characters, got '" + description + "'");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void range(int v, int min, int max, String name) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + v);
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link UpnpConfig}; defaults are documented on the record. Not thread-safe. */
  public static final class Builder {
    private InetSocketAddress ssdpTarget = SSDP_MULTICAST;
    private Duration discoveryTimeout = Duration.ofSeconds(3);
    private Duration httpTimeout = Duration.ofSeconds(5);
    private Duration leaseDuration = Duration.ofHours(1);
    private int maxSsdpReply = 2048;
    private int maxDescription = 64 << 10;
    private int maxSoapResponse = 16 << 10;
    private int maxGateways = 4;
    private String description = "lotus-p2p";
    private boolean confirmMappings;

    private Builder() {}

    /** Where the M-SEARCH goes; default the SSDP multicast group. */
    public Builder ssdpTarget(InetSocketAddress target) {
      this.ssdpTarget = target;
      return this;
    }

    /** How long answers are collected; default 3 s. */
    public Builder discoveryTimeout(Duration d) {
      this.discoveryTimeout = d;
      return this;
    }

    /** One HTTP exchange, start to end; default 5 s. */
    public Builder httpTimeout(Duration d) {
      this.httpTimeout = d;
      return this;
    }

    /** The lease asked for; default 1 h; zero for permanent. */
    public Builder leaseDuration(Duration d) {
      this.leaseDuration = d;
      return this;
    }

    /** Bytes read of one SSDP answer; default 2048. */
    public Builder maxSsdpReply(int bytes) {
      this.maxSsdpReply = bytes;
      return this;
    }

    /** Bytes read of a device description; default 64 KiB. */
    public Builder maxDescription(int bytes) {
      this.maxDescription = bytes;
      return this;
    }

    /** Bytes read of a SOAP response; default 16 KiB. */
    public Builder maxSoapResponse(int bytes) {
      this.maxSoapResponse = bytes;
      return this;
    }

    /** Gateways tried per discovery; default 4. */
    public Builder maxGateways(int n) {
      this.maxGateways = n;
      return this;
    }

    /** The mapping description; default {@code lotus-p2p}. */
    public Builder description(String text) {
      this.description = text;
      return this;
    }

    /** Advertise mappings without AutoNAT's confirmation; default false. */
    public Builder confirmMappings(boolean confirm) {
      this.confirmMappings = confirm;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming a setting out of range
     */
    public UpnpConfig build() {
      return new UpnpConfig(
          ssdpTarget,
          discoveryTimeout,
          httpTimeout,
          leaseDuration,
          maxSsdpReply,
          maxDescription,
          maxSoapResponse,
          maxGateways,
          description,
          confirmMappings);
    }
  }
}
