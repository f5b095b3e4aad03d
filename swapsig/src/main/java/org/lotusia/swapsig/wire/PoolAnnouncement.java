package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.burn.SwapSigBurn;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.swapsig.PoolParameters;
import org.lotusia.swapsig.crypto.PoolDigests;

/**
 * A pool's announcement (lotus-sdk's {@code SwapPoolAnnouncement}), published on the topic {@value
 * SwapSigMessageTypes#POOL_TOPIC} and as the DHT resource {@code resource:swapsig-pool:<poolId>}. It
 * carries lotus-sdk's fields plus what a participant needs to derive the same transactions as
 * everyone else (network, fee rate, the other timeouts, confirmations, refund lock) and the
 * creator's public key, and it is signed by that key over all of them ({@code creatorSignature},
 * hex). lotus-sdk's signature covered only the pool ID, denomination and creation time and came
 * without a key to check it against. Immutable.
 *
 * @param poolId 32 random bytes as lowercase hex
 * @param params the pool's terms
 * @param createdAt creation time, ms since the epoch
 * @param creatorPeerId the creator's libp2p peer ID; registrations go there
 * @param creatorPublicKey the creator's 33-byte key as hex; the pool's messages from the creator
 *     are signed by it
 * @param signature the creator's 64-byte Lotus Schnorr signature as hex
 */
public record PoolAnnouncement(
    String poolId,
    PoolParameters params,
    long createdAt,
    String creatorPeerId,
    String creatorPublicKey,
    String signature) {

  /** The announcement format's version. */
  public static final int PROTOCOL_VERSION = 1;

  private static final HexFormat HEX = HexFormat.of();

  /**
   * Creates and signs an announcement.
   *
   * @param poolId the pool ID
   * @param params the terms
   * @param createdAt creation time
   * @param creatorPeerId the creator's peer ID
   * @param creatorKey the creator's key
   * @return the signed announcement
   */
  public static PoolAnnouncement create(
      String poolId, PoolParameters params, long createdAt, String creatorPeerId, PrivateKey creatorKey) {
    PoolAnnouncement unsigned =
        new PoolAnnouncement(
            poolId, params, createdAt, creatorPeerId, HEX.formatHex(creatorKey.publicKeyBytes()), null);
    byte[] sig = creatorKey.signSchnorr(unsigned.digest());
    return new PoolAnnouncement(
        poolId, params, createdAt, creatorPeerId, unsigned.creatorPublicKey, HEX.formatHex(sig));
  }

  /** When registration closes (and the announcement stops being offered). */
  public long expiresAt() {
    return createdAt + params.registrationTimeout().toMillis();
  }

  /** The digest the creator signs: the canonical JSON of every field but the signature. */
  public byte[] digest() {
    return TaggedHash.hash(
        PoolDigests.ANNOUNCEMENT_TAG, CanonicalJson.bytes(toJson(), "creatorSignature"));
  }

  /** Whether the creator's signature verifies. */
  public boolean verifySignature() {
    if (signature == null) {
      return false;
    }
    try {
      return LotusSchnorr.verify(HEX.parseHex(signature), HEX.parseHex(creatorPublicKey), digest());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The JSON object, lotus-sdk's fields first. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("denomination", params.denomination());
    o.put("minParticipants", params.minParticipants());
    o.put("maxParticipants", params.maxParticipants());
    o.put("currentParticipants", 0);
    ObjectNode burn = o.putObject("burnConfig");
    burn.put("burnPercentage", params.burnPercentage());
    burn.put("minimumBurn", SwapSigBurn.MINIMUM_BURN);
    burn.put("maximumBurn", SwapSigBurn.MAXIMUM_BURN);
    burn.put("burnIdentifier", SwapSigBurn.IDENTIFIER);
    burn.put("poolIdInBurn", true);
    burn.put("version", SwapSigBurn.VERSION);
    o.put("createdAt", createdAt);
    o.put("expiresAt", expiresAt());
    o.put("setupTimeout", params.setupTimeout().toMillis());
    o.put("settlementTimeout", params.settlementTimeout().toMillis());
    o.put("creatorPeerId", creatorPeerId);
    if (signature != null) {
      o.put("creatorSignature", signature);
    }
    o.put("protocolVersion", PROTOCOL_VERSION);
    o.put("network", params.network().name().toLowerCase(Locale.ROOT));
    o.put("feeRate", params.feeRate());
    o.put("registrationTimeout", params.registrationTimeout().toMillis());
    o.put("setupConfirmTimeout", params.setupConfirmTimeout().toMillis());
    o.put("requiredConfirmations", params.requiredConfirmations());
    o.put("refundLockBlocks", params.refundLockBlocks());
    o.put("creatorPublicKey", creatorPublicKey);
    return o;
  }

  /**
   * Reads an announcement strictly; the signature is not checked here ({@link #verifySignature}).
   *
   * @param n the JSON object
   * @return the announcement
   * @throws MalformedSwapSigMessageException naming the bad field, or for terms out of range
   */
  public static PoolAnnouncement decode(JsonNode n) {
    WireFields.object(n, "pool announcement");
    if (WireFields.integer(n, "protocolVersion", 0, 1000) != PROTOCOL_VERSION) {
      throw new MalformedSwapSigMessageException("protocolVersion must be " + PROTOCOL_VERSION);
    }
    String poolId = WireFields.hex(n, "poolId", 32);
    JsonNode burn = WireFields.object(n.get("burnConfig"), "field 'burnConfig'");
    if (!SwapSigBurn.IDENTIFIER.equals(WireFields.text(burn, "burnIdentifier", 64))
        || !WireFields.bool(burn, "poolIdInBurn")
        || WireFields.integer(burn, "version", 0, 255) != SwapSigBurn.VERSION
        || WireFields.integer(burn, "minimumBurn", 0, Long.MAX_VALUE) != SwapSigBurn.MINIMUM_BURN
        || WireFields.integer(burn, "maximumBurn", 0, Long.MAX_VALUE) != SwapSigBurn.MAXIMUM_BURN) {
      throw new MalformedSwapSigMessageException(
          "field 'burnConfig' must be SWAPSIG_BURN version 1 with the pool ID, bounds 100..10000");
    }
    PoolParameters params;
    try {
      params =
          PoolParameters.builder(WireFields.integer(n, "denomination", 1, WireFields.MAX_SAFE))
              .network(network(WireFields.text(n, "network", 16)))
              .participants(
                  (int) WireFields.integer(n, "minParticipants", 0, 1000),
                  (int) WireFields.integer(n, "maxParticipants", 0, 1000))
              .feeRate((int) WireFields.integer(n, "feeRate", 0, 1_000_000))
              .burnPercentage(WireFields.decimal(burn, "burnPercentage"))
              .registrationTimeout(millis(n, "registrationTimeout"))
              .setupTimeout(millis(n, "setupTimeout"))
              .setupConfirmTimeout(millis(n, "setupConfirmTimeout"))
              .settlementTimeout(millis(n, "settlementTimeout"))
              .requiredConfirmations((int) WireFields.integer(n, "requiredConfirmations", 0, 1000))
              .refundLockBlocks((int) WireFields.integer(n, "refundLockBlocks", 0, 1 << 20))
              .build();
    } catch (MalformedSwapSigMessageException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new MalformedSwapSigMessageException("pool terms out of range: " + e.getMessage());
    }
    long createdAt = WireFields.integer(n, "createdAt", 0, WireFields.MAX_SAFE);
    PoolAnnouncement a =
        new PoolAnnouncement(
            poolId,
            params,
            createdAt,
            WireFields.text(n, "creatorPeerId", 128),
            WireFields.key33(n, "creatorPublicKey"),
            WireFields.hex(n, "creatorSignature", 64));
    if (WireFields.integer(n, "expiresAt", 0, WireFields.MAX_SAFE) != a.expiresAt()) {
      throw new MalformedSwapSigMessageException("field 'expiresAt' must be createdAt + registrationTimeout");
    }
    return a;
  }

  private static Duration millis(JsonNode n, String field) {
    return Duration.ofMillis(WireFields.integer(n, field, 1, Duration.ofDays(7).toMillis()));
  }

  private static Network network(String name) {
    for (Network net : Network.values()) {
      if (net.name().toLowerCase(Locale.ROOT).equals(name)) {
        return net;
      }
    }
    throw new MalformedSwapSigMessageException("field 'network' must be mainnet, testnet or regtest");
  }
}
