package org.lotusia.libp2p.protocol.kad;

import org.lotusia.libp2p.PeerId;

/**
 * Decides, per sending peer, whether a record a remote peer offers with PUT_VALUE may be stored
 * here: the place for an application's policy (rate limits, quotas, bans) on what others write into
 * this node. Called for every PUT_VALUE from a remote peer, after the namespace validator accepted
 * the record and before the selector and the store limits are consulted. A refused put resets the
 * stream (the sender sees the put fail, as for an invalid record) and is counted in {@link
 * KadStats#inboundFilterRefused()}.
 *
 * <p>Threading: called on the DHT's own thread, so it must be fast and must not block (no I/O, no
 * waiting on futures); a slow filter delays every request this node serves. It is never called for
 * this node's own puts. A filter that throws refuses the record.
 */
@FunctionalInterface
public interface InboundRecordFilter {

  /** The filter that accepts every record (the default). */
  InboundRecordFilter ACCEPT_ALL = (from, key, value) -> true;

  /**
   * Whether to accept the record.
   *
   * @param from the peer that sent the PUT_VALUE (authenticated by the connection)
   * @param key the record key; the array is the filter's own copy
   * @param value the record value; the array is the filter's own copy
   * @return true to go on storing it, false to refuse it
   */
  boolean accept(PeerId from, byte[] key, byte[] value);
}
