package org.lotusia.libp2p.protocol.relay;

import org.lotusia.libp2p.PeerId;

/**
 * Observes the reservations of a {@link CircuitRelay} (and of the {@link AutoRelay} that drives it).
 * Every method has an empty default.
 *
 * <p>Threading: called one at a time, in order, on the host's callback executor. A listener that
 * throws is logged and ignored.
 */
public interface RelayListener {

  /** A new reservation is held; its circuit addresses are now advertised. */
  default void reservationCreated(Reservation reservation) {}

  /** A held reservation was renewed; {@code reservation} carries the new expiration. */
  default void reservationRenewed(Reservation reservation) {}

  /**
   * A reservation is no longer held and its addresses were withdrawn.
   *
   * @param reason {@code connection closed}, {@code expired}, {@code released} or {@code closed}
   */
  default void reservationRemoved(Reservation reservation, String reason) {}

  /** An attempt to reserve on {@code relay} failed. */
  default void reservationFailed(PeerId relay, Throwable cause) {}
}
