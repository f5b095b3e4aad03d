/**
 * Publish/subscribe over GossipSub v1.1 with the v1.2 IDONTWANT extension, per
 * https://github.com/libp2p/specs/tree/master/pubsub. {@link
 * org.lotusia.libp2p.protocol.pubsub.GossipSub} is the service attached to a host; the router
 * behind it is an I/O-free state machine made of pieces that each own their state (peers, overlay,
 * caches, score, peer exchange, publishing), with validation on a bounded pool of its own and
 * everything user-visible on the callback executor.
 */
package org.lotusia.libp2p.protocol.pubsub;
