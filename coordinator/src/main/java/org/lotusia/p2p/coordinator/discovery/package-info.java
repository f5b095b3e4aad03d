/**
 * Discovery: signed capability advertisements (lotus-sdk's {@code lib/p2p/discovery}), on a {@link
 * org.lotusia.p2p.coordinator.P2PCoordinator}.
 *
 * <p>A node advertises what it offers with a {@link
 * org.lotusia.p2p.coordinator.discovery.DiscoveryAdvertisement}: lotus-sdk's JSON, signed with Lotus
 * Schnorr by a wallet key, published on the GossipSub topic {@code lotus/discovery/<protocol>} and
 * as the DHT resource {@code discovery-advertisement:<id>}. Others subscribe to a protocol, or
 * search the cache and the DHT, with {@link org.lotusia.p2p.coordinator.discovery.DiscoveryCriteria}.
 * Everything received passes the {@link
 * org.lotusia.p2p.coordinator.discovery.DiscoverySecurityValidator}: signature, publisher binding,
 * time, replay, rate and the reputation kept by this node.
 *
 * <p>Start with {@link org.lotusia.p2p.coordinator.discovery.DiscoverySystem#create}, which wires an
 * {@link org.lotusia.p2p.coordinator.discovery.DiscoveryAdvertiser}, a {@link
 * org.lotusia.p2p.coordinator.discovery.DiscoveryDiscoverer} and the validator for one protocol.
 * Application callbacks run on the coordinator's callback executor; every public asynchronous
 * method returns a future that always completes. docs/ARCHITECTURE.md (section Discovery) describes
 * the design and docs/COMPATIBILITY.md every difference from lotus-sdk.
 */
package org.lotusia.p2p.coordinator.discovery;
