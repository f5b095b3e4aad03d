/**
 * MuSig2 sessions over the P2P coordinator: {@link org.lotusia.musig2.p2p.net.MuSig2Sessions}
 * wires a {@link org.lotusia.musig2.p2p.SessionManager} to a running {@link
 * org.lotusia.p2p.coordinator.P2PCoordinator} (direct messages on {@code /lotus/message/1.0.0} and
 * {@code /lotus/musig2/1.0.0}, the announcement topic with a topic validator, DHT resources).
 * docs/MUSIG2.md, section "On the network", describes the wiring.
 */
package org.lotusia.musig2.p2p.net;
