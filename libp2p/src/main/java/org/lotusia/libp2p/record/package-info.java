/**
 * Signed records: the signed envelope of libp2p RFC 0002 ({@link
 * org.lotusia.libp2p.record.Envelope}) and the peer record of RFC 0003 ({@link
 * org.lotusia.libp2p.record.PeerRecord}) that identify and the DHT exchange. Immutable and
 * thread-safe; every decoder has a size limit.
 */
package org.lotusia.libp2p.record;
