/**
 * The building blocks of a host's connection stack that the library provides: {@link
 * org.lotusia.libp2p.stack.Transports}, {@link org.lotusia.libp2p.stack.SecureChannels} and {@link
 * org.lotusia.libp2p.stack.StreamMuxers}, passed to {@link org.lotusia.libp2p.HostBuilder}.
 *
 * <p>These factories are the only place where the public API meets the internal implementations, so
 * that the interfaces of {@code org.lotusia.libp2p} do not depend on {@code internal} packages.
 * {@link org.lotusia.libp2p.Transport}, {@link org.lotusia.libp2p.SecureChannel} and {@link
 * org.lotusia.libp2p.StreamMuxer} are handles, not extension points: a host runs only the
 * implementations made here.
 */
package org.lotusia.libp2p.stack;
