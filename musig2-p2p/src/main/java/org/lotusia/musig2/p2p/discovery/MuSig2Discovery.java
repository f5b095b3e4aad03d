package org.lotusia.musig2.p2p.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lotus-sdk's MuSig2 discovery extension (reference 3.15): signer adverts and signing requests on
 * their GossipSub topics and as DHT resources of type {@value #RESOURCE_TYPE}, signed by the
 * wallet key with lotus-sdk's advert signature so that lotus-sdk nodes verify them. Differences:
 * a signing request names its real creator key (lotus-sdk names the first required key, P17); a
 * received advert is accepted only if its signature verifies, its publisher is the peer it names,
 * the fields outside the signed digest agree with the signed criteria (the advert ID with the key,
 * the required keys and message hash with the criteria), and its times are plausible; adverts
 * from others are kept in a cache bounded in total and per peer.
 *
 * <p>Threading: thread-safe (state under the object's lock, never held while calling out);
 * listeners run on the given executor, one event at a time in order when it is single-threaded.
 */
public final class MuSig2Discovery {

  /** The DHT resource type of adverts. */
  public static final String RESOURCE_TYPE = "discovery:advertisement";

  private static final Logger LOG = LoggerFactory.getLogger(MuSig2Discovery.class);

  private record Cached(Object advert, String publisher, long expiresAt) {}

  private final SessionNetwork network;
  private final DiscoveryConfig config;
  private final Executor listenerExecutor;
  private final List<Consumer<MuSig2DiscoveryEvent>> listeners = new CopyOnWriteArrayList<>();
  private final LinkedHashMap<String, Cached> cache = new LinkedHashMap<>();
  private final Map<String, Integer> perPeer = new HashMap<>();
  private final Map<String, String> ownRequests = new LinkedHashMap<>();
  private String ownSignerAd;

  /**
   * @param network the network port (publish, subscribe, DHT, signatures)
   * @param config limits and lifetimes
   * @param listenerExecutor where listeners run
   */
  public MuSig2Discovery(SessionNetwork network, DiscoveryConfig config, Executor listenerExecutor) {
    this.network = Objects.requireNonNull(network, "network");
    this.config = Objects.requireNonNull(config, "config");
    this.listenerExecutor = Objects.requireNonNull(listenerExecutor, "listenerExecutor");
  }

  /**
   * @param l receives every later event
   */
  public void addListener(Consumer<MuSig2DiscoveryEvent> l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  /**
   * Subscribes to both discovery topics; their messages go to {@link #deliverTopic}.
   *
   * @return completes when subscribed
   */
  public CompletableFuture<Void> start() {
    return CompletableFuture.allOf(
        network.subscribe(SignerAdvertisement.TOPIC), network.subscribe(SigningRequest.TOPIC));
  }

  /**
   * Advertises the local wallet key as an available signer (one advert per node, as lotus-sdk).
   *
   * @param key the wallet key offered for signing (it signs the advert)
   * @param transactionTypes kinds of transactions, e.g. {@code spend}, {@code swap}
   * @param amountRange {@code {"min"?,"max"?}} in satoshis, or null
   * @param metadata lotus-sdk's {@code signerMetadata}, or null
   * @param multiaddrs the addresses to advertise
   * @return the signed advert once published
   * @throws IllegalStateException if a signer advert is active (withdraw it first)
   */
  public CompletableFuture<SignerAdvertisement> advertiseSigner(
      PrivateKey key,
      List<String> transactionTypes,
      ObjectNode amountRange,
      ObjectNode metadata,
      List<String> multiaddrs) {
    byte[] pub = key.publicKeyBytes();
    String id = SignerAdvertisement.idOf(pub);
    synchronized (this) {
      if (ownSignerAd != null) {
        throw new IllegalStateException("a signer advert is active; withdraw it first");
      }
      ownSignerAd = id;
    }
    long now = network.clock().millis();
    List<String> caps = new ArrayList<>();
    caps.add("musig2-signer");
    caps.addAll(transactionTypes);
    ObjectNode criteria = WireJson.object();
    criteria.set("transactionTypes", AdvertJson.strings(transactionTypes));
    criteria.put("publicKeyHex", WireJson.hexOf(pub));
    SignerAdvertisement unsigned =
        new SignerAdvertisement(id, network.localPeerId(), multiaddrs, pub, transactionTypes,
            amountRange, metadata, caps, now, now + config.signerTtl().toMillis(), 50, null,
            criteria);
    SignerAdvertisement ad =
        unsigned.withSignature(network.sign(key, unsigned.signedDigest()));
    return publish(SignerAdvertisement.TOPIC, id, ad.toJson(), ad.expiresAt())
        .thenApply(v -> ad);
  }

  /**
   * Withdraws the active signer advert, if any, from the DHT.
   *
   * @return completes when withdrawn
   */
  public CompletableFuture<Void> withdrawSigner() {
    String id;
    synchronized (this) {
      id = ownSignerAd;
      ownSignerAd = null;
    }
    return id == null ? CompletableFuture.completedFuture(null)
        : network.withdrawResource(RESOURCE_TYPE, id);
  }

  /**
   * Publishes a signing request, signed by the creator's own key, which must be one of the
   * required keys.
   *
   * @param creatorKey the creator's wallet key
   * @param requiredPublicKeys every key that must sign
   * @param messageHash the 32-byte hash of what is to be signed
   * @param metadata lotus-sdk's {@code requestMetadata}, or null
   * @param multiaddrs the addresses to advertise
   * @return the signed request once published
   * @throws IllegalArgumentException if the creator key is not required, or the hash not 32 bytes
   * @throws IllegalStateException beyond {@code maxConcurrentRequests} active requests
   */
  public CompletableFuture<SigningRequest> createSigningRequest(
      PrivateKey creatorKey,
      List<byte[]> requiredPublicKeys,
      byte[] messageHash,
      ObjectNode metadata,
      List<String> multiaddrs) {
    if (messageHash == null || messageHash.length != 32) {
      throw new IllegalArgumentException("messageHash must be 32 bytes");
    }
    byte[] pub = creatorKey.publicKeyBytes();
    List<String> hex = new ArrayList<>();
    boolean included = false;
    for (byte[] k : requiredPublicKeys) {
      hex.add(WireJson.hexOf(k));
      included |= java.util.Arrays.equals(k, pub);
    }
    if (!included) {
      throw new IllegalArgumentException(
          "the creator key must be one of the required keys: it signs the request");
    }
    long now = network.clock().millis();
    String hashHex = WireJson.hexOf(messageHash);
    String id = SigningRequest.idOf(hashHex, hex, now);
    synchronized (this) {
      if (ownRequests.size() >= config.maxConcurrentRequests()) {
        throw new IllegalStateException("at most " + config.maxConcurrentRequests()
            + " signing requests may be active (DiscoveryConfig.maxConcurrentRequests)");
      }
      ownRequests.put(id, id);
    }
    SigningRequest unsigned =
        new SigningRequest(id, network.localPeerId(), multiaddrs, requiredPublicKeys, messageHash,
            pub, metadata, now, now + config.requestTtl().toMillis(), 50, null,
            SigningRequest.criteria(hex, hashHex));
    SigningRequest req = unsigned.withSignature(network.sign(creatorKey, unsigned.signedDigest()));
    return publish(SigningRequest.TOPIC, id, req.toJson(), req.expiresAt()).thenApply(v -> req);
  }

  /**
   * Withdraws one of this node's signing requests from the DHT.
   *
   * @param requestId the request
   * @return completes when withdrawn
   */
  public CompletableFuture<Void> withdrawSigningRequest(String requestId) {
    synchronized (this) {
      if (ownRequests.remove(requestId) == null) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return network.withdrawResource(RESOURCE_TYPE, requestId);
  }

  private CompletableFuture<Void> publish(String topic, String id, ObjectNode json, long expires) {
    CompletableFuture<Void> dht =
        network.announceResource(RESOURCE_TYPE, id, json.deepCopy(), expires)
            .exceptionally(e -> {
              LOG.warn("DHT storage of advert {} failed (the topic is the primary path): {}", id,
                  e.toString());
              return null;
            });
    return network.publish(topic, json).thenCombine(dht, (a, b) -> null);
  }

  /**
   * Hands over a message of a discovery topic.
   *
   * @param topic the topic
   * @param publisherPeerId the author as the pubsub layer verified it
   * @param data the message bytes
   */
  public void deliverTopic(String topic, String publisherPeerId, byte[] data) {
    try {
      if (SignerAdvertisement.TOPIC.equals(topic)) {
        SignerAdvertisement ad = SignerAdvertisement.decode(
            WireJson.parseObject(data, config.maxAdvertBytes(), "advert"));
        String problem = AdvertChecks.signer(ad, publisherPeerId, network, config);
        accept(ad.id(), ad, publisherPeerId, ad.expiresAt(), problem,
            new MuSig2DiscoveryEvent.SignerDiscovered(ad, publisherPeerId));
      } else if (SigningRequest.TOPIC.equals(topic)) {
        SigningRequest req = SigningRequest.decode(
            WireJson.parseObject(data, config.maxAdvertBytes(), "request"));
        String problem = AdvertChecks.request(req, publisherPeerId, network, config);
        accept(req.requestId(), req, publisherPeerId, req.expiresAt(), problem,
            new MuSig2DiscoveryEvent.SigningRequestReceived(req, publisherPeerId));
      }
    } catch (MalformedMessageException e) {
      emit(new MuSig2DiscoveryEvent.AdvertRejected(publisherPeerId, "does not decode: "
          + e.getMessage()));
    }
  }

  private void accept(String id, Object advert, String publisher, long expires, String problem,
      MuSig2DiscoveryEvent event) {
    if (problem != null) {
      emit(new MuSig2DiscoveryEvent.AdvertRejected(publisher, problem));
      return;
    }
    synchronized (this) {
      long now = network.clock().millis();
      purge(now);
      Cached old = cache.get(id);
      if (old != null && !old.publisher().equals(publisher)) {
        problem = "advert " + id + " is held for another publisher";
      } else if (old == null && perPeer.getOrDefault(publisher, 0) >= config.maxCachedPerPeer()) {
        problem = "more than " + config.maxCachedPerPeer() + " adverts of one peer are kept";
      } else {
        if (old == null) {
          if (cache.size() >= config.maxCached()) {
            Iterator<Cached> it = cache.values().iterator();
            forget(it.next().publisher());
            it.remove();
          }
          perPeer.merge(publisher, 1, Integer::sum);
        }
        cache.put(id, new Cached(advert, publisher, expires));
      }
    }
    emit(problem != null ? new MuSig2DiscoveryEvent.AdvertRejected(publisher, problem) : event);
  }

  /**
   * @return the cached signer adverts that have not expired
   */
  public synchronized List<SignerAdvertisement> signers() {
    purge(network.clock().millis());
    List<SignerAdvertisement> out = new ArrayList<>();
    cache.values().forEach(c -> {
      if (c.advert() instanceof SignerAdvertisement s) {
        out.add(s);
      }
    });
    return out;
  }

  /**
   * @return the cached signing requests that have not expired
   */
  public synchronized List<SigningRequest> signingRequests() {
    purge(network.clock().millis());
    List<SigningRequest> out = new ArrayList<>();
    cache.values().forEach(c -> {
      if (c.advert() instanceof SigningRequest r) {
        out.add(r);
      }
    });
    return out;
  }

  private void purge(long now) {
    Iterator<Cached> it = cache.values().iterator();
    while (it.hasNext()) {
      Cached c = it.next();
      if (c.expiresAt() <= now) {
        it.remove();
        forget(c.publisher());
      }
    }
  }

  private void forget(String publisher) {
    perPeer.computeIfPresent(publisher, (k, v) -> v <= 1 ? null : v - 1);
  }

  private void emit(MuSig2DiscoveryEvent e) {
    if (e instanceof MuSig2DiscoveryEvent.AdvertRejected r) {
      LOG.debug("advert from {} refused: {}", r.publisherPeerId(), r.reason());
    }
    try {
      listenerExecutor.execute(() -> {
        for (Consumer<MuSig2DiscoveryEvent> l : listeners) {
          try {
            l.accept(e);
          } catch (RuntimeException x) {
            LOG.warn("discovery listener threw on {}", e, x);
          }
        }
      });
    } catch (RejectedExecutionException x) {
      LOG.warn("listener executor refused discovery event {}; it is not delivered", e);
    }
  }
}
