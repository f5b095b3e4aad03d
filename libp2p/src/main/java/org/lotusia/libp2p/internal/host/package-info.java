/**
 * The host implementation: connection upgrade, connections and streams over Yamux child channels,
 * the peer store, identify wiring and callback executors. Not API.
 */
package org.lotusia.libp2p.internal.host;
