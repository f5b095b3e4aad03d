/**
 * The public libp2p API: {@link org.lotusia.libp2p.Host} (built with {@link
 * org.lotusia.libp2p.HostBuilder}), {@link org.lotusia.libp2p.Connection}, {@link
 * org.lotusia.libp2p.Stream}, {@link org.lotusia.libp2p.ProtocolBinding}, {@link
 * org.lotusia.libp2p.PeerStore}, listeners, peer IDs, multiaddrs and the exceptions. No Netty type
 * appears here; futures complete and callbacks run on the host's callback executor.
 */
package org.lotusia.libp2p;
