/**
 * SwapSig on the P2P coordinator: {@link org.lotusia.swapsig.net.SwapSigService} wires a {@link
 * org.lotusia.swapsig.SwapSigManager} to a running {@link org.lotusia.p2p.coordinator.P2PCoordinator}
 * (protocol handler {@code swapsig} on {@code /lotus/message/1.0.0}, the pool topic with a topic
 * validator, DHT resources).
 */
package org.lotusia.swapsig.net;
