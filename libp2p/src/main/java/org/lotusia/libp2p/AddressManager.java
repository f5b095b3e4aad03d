package org.lotusia.libp2p;

import java.util.List;

/**
 * The addresses a {@link Host} advertises (in identify, its signed peer record and {@link
 * Host#advertisedAddresses()}) and where they come from. Obtain it from {@link Host#addresses()}.
 *
 * <p>The advertised set is built from these sources, in this order, without duplicates:
 *
 * <ol>
 *   <li>{@link Source#ANNOUNCE} addresses ({@link HostBuilder#announce}) when any are set, else the
 *       {@link Source#LISTEN} addresses (the bound listen addresses, a wildcard such as {@code
 *       0.0.0.0} expanded to the addresses of the machine's interfaces);
 *   <li>{@link Source#OBSERVED} addresses (what peers saw in identify) once AutoNAT confirmed them
 *       {@link Verdict#REACHABLE}: an unconfirmed observation is never advertised, so one lying peer
 *       cannot make this host advertise an address of its choice;
 *   <li>{@link Source#IP_MAPPING} addresses (port mappings, e.g. UPnP) once confirmed, or at once
 *       when added with {@code confirmed = true};
 *   <li>{@link Source#RELAY} addresses ({@code .../p2p-circuit}) while a relay reservation is held.
 * </ol>
 *
 * Addresses listed with {@link HostBuilder#noAnnounce} are removed from the result whatever their
 * source. Every change of the advertised set is pushed to connected peers (identify push).
 *
 * <p>Threading: thread-safe; listeners run on the host's callback executor.
 */
public interface AddressManager {

  /** Where an address came from. */
  enum Source {
    /** A bound listen address. */
    LISTEN,
    /** Configured with {@link HostBuilder#announce}. */
    ANNOUNCE,
    /** Reported by a peer in identify ({@code observedAddr}). */
    OBSERVED,
    /** A port mapping on a gateway (UPnP), external side. */
    IP_MAPPING,
    /** A relayed address of a held reservation. */
    RELAY
  }

  /** What AutoNAT (or the application) found out about an address. */
  enum Verdict {
    /** Not tested, or no firm result yet. */
    UNKNOWN,
    /** Dialled successfully from the outside. */
    REACHABLE,
    /** Dials from the outside failed. */
    UNREACHABLE
  }

  /**
   * One address known to the manager.
   *
   * @param address without {@code /p2p/<self>}
   * @param source where it came from
   * @param scope loopback, private or public
   * @param verdict the latest firm reachability verdict
   * @param advertised whether it is in the advertised set now
   * @param observers for {@link Source#OBSERVED}: how many distinct peers reported it
   */
  record Entry(
      Multiaddr address,
      Source source,
      AddressScope scope,
      Verdict verdict,
      boolean advertised,
      int observers) {}

  /** The advertised addresses, each ending in {@code /p2p/<self>}. */
  List<Multiaddr> advertised();

  /** Every known address with its source and status (advertised or not). */
  List<Entry> entries();

  /**
   * Addresses worth testing from the outside: public listen and announce addresses, observed
   * addresses and mappings with a public IP, without {@code /p2p}. What AutoNAT asks servers to
   * dial.
   */
  List<Multiaddr> candidates();

  /**
   * Records a firm reachability verdict about {@code address} (usually from AutoNAT). A reachable
   * observed address or mapping becomes advertised; an unreachable one stops being advertised.
   * Verdicts about addresses the manager does not know are kept for when they appear.
   */
  void setVerdict(Multiaddr address, Verdict verdict);

  /**
   * Adds a port mapping: {@code external} is where the gateway forwards to {@code internal}. It is
   * advertised once confirmed reachable, or at once when {@code confirmed}.
   */
  void addIpMapping(Multiaddr internal, Multiaddr external, boolean confirmed);

  /** Removes the mapping whose external address is {@code external}. */
  void removeIpMapping(Multiaddr external);

  /** Adds a listener called after the advertised set changed. */
  void addListener(Runnable listener);

  /** Removes a listener added before. */
  void removeListener(Runnable listener);
}
