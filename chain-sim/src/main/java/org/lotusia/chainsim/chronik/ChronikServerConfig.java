package org.lotusia.chainsim.chronik;

/**
 * Limits of the simulator's Chronik server. Build with {@link #builder()}; every limit has a
 * documented default and each is tested as an attack. Immutable.
 *
 * @param host interface to bind (default {@code 127.0.0.1})
 * @param port TCP port, 0 for any free port (default 0)
 * @param maxRequestBytes largest HTTP request body; larger ones get 413 (default 4 MiB: a
 *     broadcast of the largest standard transactions fits)
 * @param maxBroadcastTxs most transactions in one {@code /broadcast-txs} (default 100)
 * @param maxValidateUtxos most outpoints in one {@code /validate-utxos} (default 1,000)
 * @param maxPageSize largest history page (default 200, as Chronik)
 * @param maxBlocksRange most blocks one {@code /blocks/{start}/{end}} returns (default 500)
 * @param maxWsConnections most open WebSocket connections (default 256)
 * @param maxWsSubscriptions most scripts one WebSocket connection may subscribe to (default 1,000)
 * @param maxWsMessageBytes largest WebSocket message a client may send (default 4 KiB; a
 *     subscription is a few dozen bytes)
 * @param maxWsPendingSends messages queued to one slow connection before it is closed (default
 *     1,000)
 */
public record ChronikServerConfig(
    String host,
    int port,
    int maxRequestBytes,
    int maxBroadcastTxs,
    int maxValidateUtxos,
    int maxPageSize,
    int maxBlocksRange,
    int maxWsConnections,
    int maxWsSubscriptions,
    int maxWsMessageBytes,
    int maxWsPendingSends) {

  /** Validates. @throws IllegalArgumentException naming the limit out of range */
  public ChronikServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    requirePositive("maxRequestBytes", maxRequestBytes);
    requirePositive("maxBroadcastTxs", maxBroadcastTxs);
    requirePositive("maxValidateUtxos", maxValidateUtxos);
    requirePositive("maxPageSize", maxPageSize);
    requirePositive("maxBlocksRange", maxBlocksRange);
    requirePositive("maxWsConnections", maxWsConnections);
    requirePositive("maxWsSubscriptions", maxWsSubscriptions);
    if (maxWsMessageBytes < 64) {
      throw new IllegalArgumentException("maxWsMessageBytes must be at least 64: " + maxWsMessageBytes);
    }
    requirePositive("maxWsPendingSends", maxWsPendingSends);
  }

  private static void requirePositive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
  }

  /** The defaults. */
  public static ChronikServerConfig defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link ChronikServerConfig}; not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private int maxRequestBytes = 4 * 1024 * 1024;
    private int maxBroadcastTxs = 100;
    private int maxValidateUtxos = 1000;
    private int maxPageSize = 200;
    private int maxBlocksRange = 500;
    private int maxWsConnections = 256;
    private int maxWsSubscriptions = 1000;
    private int maxWsMessageBytes = 4096;
    private int maxWsPendingSends = 1000;

    private Builder() {}

    /** Interface to bind; default 127.0.0.1. */
    public Builder host(String h) {
      host = h;
      return this;
    }

    /** Port; default 0 (any free port). */
    public Builder port(int p) {
      port = p;
      return this;
    }

    /** Largest request body; default 4 MiB. */
    public Builder maxRequestBytes(int n) {
      maxRequestBytes = n;
      return this;
    }

    /** Most transactions per broadcast-txs; default 100. */
    public Builder maxBroadcastTxs(int n) {
      maxBroadcastTxs = n;
      return this;
    }

    /** Most outpoints per validate-utxos; default 1,000. */
    public Builder maxValidateUtxos(int n) {
      maxValidateUtxos = n;
      return this;
    }

    /** Largest history page; default 200. */
    public Builder maxPageSize(int n) {
      maxPageSize = n;
      return this;
    }

    /** Most blocks per range request; default 500. */
    public Builder maxBlocksRange(int n) {
      maxBlocksRange = n;
      return this;
    }

    /** Most WebSocket connections; default 256. */
    public Builder maxWsConnections(int n) {
      maxWsConnections = n;
      return this;
    }

    /** Most subscriptions per WebSocket; default 1,000. */
    public Builder maxWsSubscriptions(int n) {
      maxWsSubscriptions = n;
      return this;
    }

    /** Largest client WebSocket message; default 4 KiB. */
    public Builder maxWsMessageBytes(int n) {
      maxWsMessageBytes = n;
      return this;
    }

    /** Messages queued to one WebSocket before it is closed as too slow; default 1,000. */
    public Builder maxWsPendingSends(int n) {
      maxWsPendingSends = n;
      return this;
    }

    /** Builds and validates. */
    public ChronikServerConfig build() {
      return new ChronikServerConfig(
          host,
          port,
          maxRequestBytes,
          maxBroadcastTxs,
          maxValidateUtxos,
          maxPageSize,
          maxBlocksRange,
          maxWsConnections,
          maxWsSubscriptions,
          maxWsMessageBytes,
          maxWsPendingSends);
    }
  }
}
