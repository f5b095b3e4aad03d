package org.lotusia.libp2p.protocol.kad;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lotusia.libp2p.Multiaddr;

/**
 * Settings of a {@link KadDht}. Build with {@link #builder()}; every setting has a documented
 * default.
 *
 * @param protocolId the protocol ID; default {@value #DEFAULT_PROTOCOL} (lotus-sdk uses {@value
 *     #LOTUS_PROTOCOL})
 * @param clientMode when true the node only queries: it does not serve the protocol; default false
 * @param k bucket size and result count; default 20
 * @param alpha concurrent requests of one lookup; default 3 as in the spec (js-libp2p uses 10)
 * @param requestTimeout time for one peer to answer one request; default 10 s
 * @param queryTimeout time for a whole lookup; default 60 s
 * @param maxMessageSize largest inbound message, length prefix excluded; default 4 MiB, the limit
 *     of go-libp2p and js-libp2p, so a record they accept is never refused here
 * @param maxPeersPerMessage most closer or provider peers accepted in one message; default 100
 * @param maxAddressesPerPeer addresses kept per peer of a message; default 32
 * @param maxCandidates peers one lookup keeps track of; default 200
 * @param maxRequestsPerStream requests served on one inbound stream; default 64
 * @param maxRecords stored records; default 10,000
 * @param maxRecordBytes total bytes of stored keys and values; default 32 MiB
 * @param maxRecordsPerPeer records one remote peer may have stored here; default 256
 * @param recordTtl lifetime of a stored record; default 48 h
 * @param maxProviderKeys keys with provider records; default 10,000
 * @param maxProvidersPerKey providers kept per key; default 64
 * @param maxProvidersPerPeer provider records one remote peer may hold here; default 1,024
 * @param providerTtl lifetime of a provider record; default 48 h
 * @param addressTtl how long learned addresses stay in the peer store; default 1 h
 * @param refreshInterval period of the routing table refresh (a self lookup, then a random walk in
 *     every bucket not refreshed for this long) and of the expiry of stored records; default 5 min
 * @param republishInterval period after which this node puts its own records again; default 22 h,
 *     well within the 48 h remote peers keep a record
 * @param reprovideInterval period after which this node announces its provider records again;
 *     default 22 h, as go-libp2p
 * @param disjointPaths lookups run this many disjoint paths (S/Kademlia): the starting peers are
 *     dealt to the paths and no peer is asked by two paths; default 1, a plain Kademlia lookup
 *     (js-libp2p uses k/2 = 10 with alpha 10; here each path has alpha requests in flight)
 * @param bootstrapPeers addresses (with {@code /p2p/<id>}) dialled by {@link KadDht#start()} and
 *     whenever the routing table is empty at a refresh; default none
 * @param validators record validators by namespace; {@code pk} is built in
 * @param selectors record selectors by namespace; default {@link RecordSelector#FIRST}
 * @param unnamespacedValidator validator for keys without a {@code /ns/} namespace (such as
 *     lotus-sdk's {@code resource:<type>:<id>}), or null to reject them as js-libp2p kad-dht 16.4
 *     does
 * @param unnamespacedSelector selector for keys without a namespace; default {@link
 *     RecordSelector#FIRST}
 * @param inboundRecordFilter policy applied to every PUT_VALUE from a remote peer after the
 *     validator passed it; default {@link InboundRecordFilter#ACCEPT_ALL}
 * @param addressFilter which peer addresses the DHT stores in the peer store, sends in its answers
 *     and announces for itself; default {@link AddressFilter#ALL}
 * @param persistence keeps the stored value and provider records across restarts; default {@link
 *     RecordPersistence#NONE}
 */
public record KadDhtConfig(
    String protocolId,
    boolean clientMode,
    int k,
    int alpha,
    Duration requestTimeout,
    Duration queryTimeout,
    int maxMessageSize,
    int maxPeersPerMessage,
    int maxAddressesPerPeer,
    int maxCandidates,
    int maxRequestsPerStream,
    int maxRecords,
    long maxRecordBytes,
    int maxRecordsPerPeer,
    Duration recordTtl,
    int maxProviderKeys,
    int maxProvidersPerKey,
    int maxProvidersPerPeer,
    Duration providerTtl,
    Duration addressTtl,
    Duration refreshInterval,
    Duration republishInterval,
    Duration reprovideInterval,
    int disjointPaths,
    List<Multiaddr> bootstrapPeers,
    Map<String, RecordValidator> validators,
    Map<String, RecordSelector> selectors,
    RecordValidator unnamespacedValidator,
    RecordSelector unnamespacedSelector,
    InboundRecordFilter inboundRecordFilter,
    AddressFilter addressFilter,
    RecordPersistence persistence) {

  /** The protocol ID of the public IPFS DHT. */
  public static final String DEFAULT_PROTOCOL = "/ipfs/kad/1.0.0";

  /** The protocol ID lotus-sdk nodes use. */
  public static final String LOTUS_PROTOCOL = "/lotus/kad/1.0.0";

  /** Validates and copies. */
  public KadDhtConfig {
    Objects.requireNonNull(protocolId, "protocolId");
    positive("k", k);
    positive("alpha", alpha);
    positive("maxMessageSize", maxMessageSize);
    positive("maxPeersPerMessage", maxPeersPerMessage);
    positive("maxAddressesPerPeer", maxAddressesPerPeer);
    positive("maxRequestsPerStream", maxRequestsPerStream);
    positive("maxRecords", maxRecords);
    positive("maxRecordsPerPeer", maxRecordsPerPeer);
    positive("maxProviderKeys", maxProviderKeys);
    positive("maxProvidersPerKey", maxProvidersPerKey);
    positive("maxProvidersPerPeer", maxProvidersPerPeer);
    if (maxCandidates < k) {
      throw new IllegalArgumentException("maxCandidates must be >= k, got " + maxCandidates);
    }
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be >= 1, got " + maxRecordBytes);
    }
    for (Duration d :
        new Duration[] {
          requestTimeout,
          queryTimeout,
          recordTtl,
          providerTtl,
          addressTtl,
          refreshInterval,
          republishInterval,
          reprovideInterval
        }) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive, got " + d);
      }
    }
    validators = Map.copyOf(validators);
    selectors = Map.copyOf(selectors);
    Objects.requireNonNull(unnamespacedSelector, "unnamespacedSelector");
    Objects.requireNonNull(inboundRecordFilter, "inboundRecordFilter");
    Objects.requireNonNull(addressFilter, "addressFilter");
    Objects.requireNonNull(persistence, "persistence");
    if (disjointPaths < 1 || disjointPaths > k) {
      throw new IllegalArgumentException(
          "disjointPaths must be between 1 and k (" + k + "), got " + disjointPaths);
    }
    bootstrapPeers = List.copyOf(bootstrapPeers);
    for (Multiaddr a : bootstrapPeers) {
      if (a.peerId().isEmpty()) {
        throw new IllegalArgumentException(
            "a bootstrap address must end in /p2p/<peer id>, got " + a);
      }
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static KadDhtConfig defaults() {
    return builder().build();
  }

  /** Builds a {@link KadDhtConfig}; see the record components for the defaults. */
  public static final class Builder {
    private String protocolId = DEFAULT_PROTOCOL;
    private boolean clientMode;
    private int k = 20;
    private int alpha = 3;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration queryTimeout = Duration.ofSeconds(60);
    private int maxMessageSize = 4 << 20;
    private int maxPeersPerMessage = 100;
    private int maxAddressesPerPeer = 32;
    private int maxCandidates = 200;
    private int maxRequestsPerStream = 64;
    private int maxRecords = 10_000;
    private long maxRecordBytes = 32L << 20;
    private int maxRecordsPerPeer = 256;
    private Duration recordTtl = Duration.ofHours(48);
    private int maxProviderKeys = 10_000;
    private int maxProvidersPerKey = 64;
    private int maxProvidersPerPeer = 1024;
    private Duration providerTtl = Duration.ofHours(48);
    private Duration addressTtl = Duration.ofHours(1);
    private Duration refreshInterval = Duration.ofMinutes(5);
    private Duration republishInterval = Duration.ofHours(22);
    private Duration reprovideInterval = Duration.ofHours(22);
    private int disjointPaths = 1;
    private List<Multiaddr> bootstrapPeers = List.of();
    private AddressFilter addressFilter = AddressFilter.ALL;
    private final Map<String, RecordValidator> validators = new HashMap<>();
    private final Map<String, RecordSelector> selectors = new HashMap<>();
    private RecordValidator unnamespacedValidator;
    private RecordSelector unnamespacedSelector = RecordSelector.FIRST;
    private InboundRecordFilter inboundRecordFilter = InboundRecordFilter.ACCEPT_ALL;
    private RecordPersistence persistence = RecordPersistence.NONE;

    private Builder() {}

    /** Sets the protocol ID. */
    public Builder protocolId(String id) {
      this.protocolId = id;
      return this;
    }

    /** Client mode: query only, do not serve. */
    public Builder clientMode(boolean client) {
      this.clientMode = client;
      return this;
    }

    /** Sets k. */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** Sets the lookup concurrency. */
    public Builder alpha(int alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Sets the per-request timeout. */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /** Sets the lookup timeout. */
    public Builder queryTimeout(Duration d) {
      this.queryTimeout = d;
      return this;
    }

    /** Sets the inbound message size limit. */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = bytes;
      return this;
    }

    /** Sets the limit of peers per message. */
    public Builder maxPeersPerMessage(int n) {
      this.maxPeersPerMessage = n;
      return this;
    }

    /** Sets the addresses kept per peer of a message. */
    public Builder maxAddressesPerPeer(int n) {
      this.maxAddressesPerPeer = n;
      return this;
    }

    /** Sets the peers tracked by one lookup. */
    public Builder maxCandidates(int n) {
      this.maxCandidates = n;
      return this;
    }

    /** Sets the requests served per inbound stream. */
    public Builder maxRequestsPerStream(int n) {
      this.maxRequestsPerStream = n;
      return this;
    }

    /** Sets the record store bounds. */
    public Builder recordLimits(int records, long bytes, int perPeer) {
      this.maxRecords = records;
      this.maxRecordBytes = bytes;
      this.maxRecordsPerPeer = perPeer;
      return this;
    }

    /** Sets the record lifetime. */
    public Builder recordTtl(Duration d) {
      this.recordTtl = d;
      return this;
    }

    /** Sets the provider store bounds. */
    public Builder providerLimits(int keys, int perKey, int perPeer) {
      this.maxProviderKeys = keys;
      this.maxProvidersPerKey = perKey;
      this.maxProvidersPerPeer = perPeer;
      return this;
    }

    /** Sets the provider record lifetime. */
    public Builder providerTtl(Duration d) {
      this.providerTtl = d;
      return this;
    }

    /** Sets the lifetime of learned addresses. */
    public Builder addressTtl(Duration d) {
      this.addressTtl = d;
      return this;
    }

    /** Sets the refresh period. */
    public Builder refreshInterval(Duration d) {
      this.refreshInterval = d;
      return this;
    }

    /** Sets the period after which own records are put again. */
    public Builder republishInterval(Duration d) {
      this.republishInterval = d;
      return this;
    }

    /** Sets the period after which own provider records are announced again. */
    public Builder reprovideInterval(Duration d) {
      this.reprovideInterval = d;
      return this;
    }

    /** Sets the number of disjoint paths of every lookup (1 to k). */
    public Builder disjointPaths(int n) {
      this.disjointPaths = n;
      return this;
    }

    /** Sets the peers dialled at start and when the routing table is empty. */
    public Builder bootstrapPeers(List<Multiaddr> addresses) {
      this.bootstrapPeers = List.copyOf(addresses);
      return this;
    }

    /** Sets which peer addresses the DHT keeps, serves and announces. */
    public Builder addressFilter(AddressFilter f) {
      this.addressFilter = Objects.requireNonNull(f, "addressFilter");
      return this;
    }

    /** Accepts records of {@code namespace} (keys {@code /namespace/...}) that pass {@code v}. */
    public Builder validator(String namespace, RecordValidator v) {
      validators.put(namespace, Objects.requireNonNull(v));
      return this;
    }

    /** Chooses among values of {@code namespace} with {@code s}. */
    public Builder selector(String namespace, RecordSelector s) {
      selectors.put(namespace, Objects.requireNonNull(s));
      return this;
    }

    /**
     * Accepts records whose key has no {@code /ns/} namespace when {@code v} passes them, as
     * lotus-sdk nodes (js kad-dht 16.1) do for {@code resource:<type>:<id>} keys; null (the
     * default) rejects them.
     */
    public Builder unnamespacedValidator(RecordValidator v) {
      this.unnamespacedValidator = v;
      return this;
    }

    /**
     * Chooses among values of keys without a {@code /ns/} namespace with {@code s} (for example
     * the newest of lotus-sdk's {@code resource:<type>:<id>} announcements); default {@link
     * RecordSelector#FIRST}. Such keys also need {@link #unnamespacedValidator}.
     */
    public Builder unnamespacedSelector(RecordSelector s) {
      this.unnamespacedSelector = Objects.requireNonNull(s, "unnamespacedSelector");
      return this;
    }

    /**
     * Applies {@code f} to every PUT_VALUE from a remote peer, after the validator passed it, so an
     * application can enforce its policy per sending peer (rate limits, quotas, bans); default
     * {@link InboundRecordFilter#ACCEPT_ALL}.
     */
    public Builder inboundRecordFilter(InboundRecordFilter f) {
      this.inboundRecordFilter = Objects.requireNonNull(f, "inboundRecordFilter");
      return this;
    }

    /**
     * Keeps the stored value and provider records across restarts with {@code p} (loaded when the
     * DHT starts, every change reported on the DHT's thread); default {@link
     * RecordPersistence#NONE}.
     */
    public Builder persistence(RecordPersistence p) {
      this.persistence = Objects.requireNonNull(p, "persistence");
      return this;
    }

    /** Builds the configuration. */
    public KadDhtConfig build() {
      return new KadDhtConfig(
          protocolId,
          clientMode,
          k,
          alpha,
          requestTimeout,
          queryTimeout,
          maxMessageSize,
          maxPeersPerMessage,
          maxAddressesPerPeer,
          maxCandidates,
          maxRequestsPerStream,
          maxRecords,
          maxRecordBytes,
          maxRecordsPerPeer,
          recordTtl,
          maxProviderKeys,
          maxProvidersPerKey,
          maxProvidersPerPeer,
          providerTtl,
          addressTtl,
          refreshInterval,
          republishInterval,
          reprovideInterval,
          disjointPaths,
          bootstrapPeers,
          validators,
          selectors,
          unnamespacedValidator,
          unnamespacedSelector,
          inboundRecordFilter,
          addressFilter,
          persistence);
    }
  }
}
