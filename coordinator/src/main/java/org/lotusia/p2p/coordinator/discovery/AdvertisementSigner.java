package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;

/**
 * Signs and verifies advertisements exactly as lotus-sdk does (reference section 5.3): {@code
 * signature = LotusSchnorr.sign(SHA-256(message), key)} over the message of {@link
 * DiscoveryAdvertisement#signedMessage()}.
 *
 * <p>Which key verifies (lotus-sdk's rules, with the MuSig2 creator-key fix):
 *
 * <ul>
 *   <li>{@code musig2} and {@code musig2-request}: the top-level {@code publicKey} if present, else
 *       {@code creatorPublicKey}, else {@code peerInfo.publicKey}. lotus-sdk's signing requests set
 *       {@code creatorPublicKey} to the first required key rather than the signer's (MuSig2
 *       reference 3.15), so for a {@code musig2-request} whose {@code creatorPublicKey} does not
 *       verify, the keys of its {@code requiredPublicKeys} are tried too (at most {@value
 *       #MAX_REQUIRED_KEYS_TRIED}): the creator is one of them. This SDK's own requests carry the
 *       signer's key in {@code creatorPublicKey}.
 *   <li>Other protocols: {@code peerInfo.publicKey}.
 * </ul>
 *
 * <p>lotus-sdk rejects a signature whose first byte is {@code 0x30} (it tries to read it as DER);
 * this verifier accepts every valid signature, and {@link #sign} never produces such a signature
 * (it moves {@code createdAt} and {@code expiresAt} on by a millisecond and signs again), so
 * lotus-sdk readers never drop an advertisement signed here. Stateless and thread-safe.
 */
public final class AdvertisementSigner {

  /** Most {@code requiredPublicKeys} tried for a lotus-sdk signing request. */
  public static final int MAX_REQUIRED_KEYS_TRIED = 16;

  /** Rounds of re-signing before giving up on avoiding a first byte of {@code 0x30}. */
  static final int MAX_RESIGN = 64;

  private static final byte DER_SEQUENCE = 0x30;

  private AdvertisementSigner() {}

  /**
   * The digest that is signed.
   *
   * @param message the signed message
   * @return SHA-256 of it
   */
  public static byte[] digest(byte[] message) {
    return Hashes.sha256(message);
  }

  /**
   * Signs the values of a builder with a key and builds the advertisement. When the signature
   * would start with {@code 0x30}, {@code createdAt} and {@code expiresAt} are each moved on by one
   * millisecond and the values signed again (about one advertisement in 256), so that lotus-sdk
   * readers accept it.
   *
   * @param draft the values; its {@code createdAt} and {@code expiresAt} may be changed as said
   * @param key the signing key
   * @return the signed advertisement
   * @throws IllegalArgumentException when the values are incomplete or invalid
   */
  public static DiscoveryAdvertisement sign(DiscoveryAdvertisement.Builder draft, PrivateKey key) {
    byte[] sig = signOnce(draft, key);
    for (int i = 0; i < MAX_RESIGN && sig[0] == DER_SEQUENCE; i++) {
      draft.createdAt(draft.createdAt() + 1).expiresAt(draft.expiresAt() + 1);
      sig = signOnce(draft, key);
    }
    return draft.signature(sig).build();
  }

  /**
   * Signs the values of a builder exactly once, whatever the first byte of the signature (the
   * lotus-sdk reference behaviour; for tests and vectors).
   *
   * @param draft the values
   * @param key the signing key
   * @return the 64-byte signature
   */
  public static byte[] signOnce(DiscoveryAdvertisement.Builder draft, PrivateKey key) {
    return key.signSchnorr(digest(draft.signedMessage()));
  }

  /**
   * The keys that may verify an advertisement, in the order they are tried.
   *
   * @param ad the advertisement
   * @return the candidate keys; empty when the advertisement names no key
   */
  public static List<EcPoint> candidateKeys(DiscoveryAdvertisement ad) {
    List<EcPoint> keys = new ArrayList<>(2);
    boolean musig2 = isMuSig2(ad.protocol());
    if (musig2 && ad.publicKey().isPresent()) {
      keys.add(ad.publicKey().get());
    } else if (musig2 && ad.creatorPublicKey().isPresent()) {
      keys.add(ad.creatorPublicKey().get());
      if (ad.protocol().equals("musig2-request")) {
        keys.addAll(requiredKeys(ad, ad.creatorPublicKey().get()));
      }
    } else {
      ad.peerInfo().publicKey().ifPresent(keys::add);
    }
    return keys;
  }

  private static List<EcPoint> requiredKeys(DiscoveryAdvertisement ad, EcPoint already) {
    JsonNode list = ad.extensionsView().get("requiredPublicKeys");
    List<EcPoint> out = new ArrayList<>();
    if (list == null || !list.isArray()) {
      return out;
    }
    for (JsonNode k : list) {
      if (out.size() == MAX_REQUIRED_KEYS_TRIED) {
        break;
      }
      if (!k.isTextual()) {
        continue;
      }
      try {
        EcPoint p = AdvertisementJson.parseKey(k.textValue());
        if (!p.equals(already) && !out.contains(p)) {
          out.add(p);
        }
      } catch (IllegalArgumentException e) {
        // not a key: lotus-sdk would fail on it too; the other candidates are still tried
      }
    }
    return out;
  }

  /**
   * Verifies an advertisement's signature.
   *
   * @param ad the advertisement
   * @return the key that verified it, or empty when no candidate key verifies
   */
  public static Optional<EcPoint> verify(DiscoveryAdvertisement ad) {
    return verify(ad, digest(ad.signedMessage()));
  }

  static Optional<EcPoint> verify(DiscoveryAdvertisement ad, byte[] digest) {
    byte[] sig = ad.signatureView();
    for (EcPoint k : candidateKeys(ad)) {
      if (LotusSchnorr.verify(sig, k, digest)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a protocol uses the MuSig2 key rules.
   *
   * @param protocol the protocol
   * @return true for {@code musig2} and {@code musig2-request}
   */
  public static boolean isMuSig2(String protocol) {
    return protocol.equals("musig2") || protocol.equals("musig2-request");
  }
}
