package org.lotusia.libp2p.protocol.kad;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one {@link KadDht#put(byte[], byte[], PutOptions)}.
 *
 * @param timeout time for the whole put (the lookup and the PUT_VALUEs); empty (the default) uses
 *     {@link KadDhtConfig#queryTimeout()}
 * @param minReplicas the number of remote peers that must confirm storing the record for the put
 *     to succeed; empty (the default) means 1 when the lookup found any peer and 0 when it found
 *     none (a node alone keeps the record locally and republishes it later). A put with fewer
 *     confirmations fails with {@link KadPutException}, which names the peers that did store it.
 * @param listener follows the lookup of the closest peers; empty (the default) for none
 */
public record PutOptions(
    Optional<Duration> timeout, Optional<Integer> minReplicas, Optional<QueryListener> listener) {

  /** The defaults: the configured query timeout, one replica when any peer is known. */
  public static final PutOptions DEFAULTS = new PutOptions(Optional.empty(), Optional.empty());

  /** Options without a listener. */
  public PutOptions(Optional<Duration> timeout, Optional<Integer> minReplicas) {
    this(timeout, minReplicas, Optional.empty());
  }

  /** Validates. */
  public PutOptions {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(minReplicas, "minReplicas");
    Objects.requireNonNull(listener, "listener");
    timeout.ifPresent(GetOptions::requirePositive);
    minReplicas.ifPresent(
        n -> {
          if (n < 0) {
            throw new IllegalArgumentException("minReplicas must be >= 0, got " + n);
          }
        });
  }

  /** These options with another timeout. */
  public PutOptions withTimeout(Duration d) {
    return new PutOptions(Optional.of(d), minReplicas, listener);
  }

  /** These options with another number of required remote confirmations. */
  public PutOptions withMinReplicas(int n) {
    return new PutOptions(timeout, Optional.of(n), listener);
  }

  /** These options with a listener that follows the lookup. */
  public PutOptions withListener(QueryListener l) {
    return new PutOptions(timeout, minReplicas, Optional.of(l));
  }

  /** The replicas required when the lookup found {@code peersFound} peers. */
  int requiredReplicas(int peersFound) {
    return minReplicas.orElse(peersFound > 0 ? 1 : 0);
  }
}
