package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;

/**
 * The advertisement signature of reference section 5.3: the golden vector signs and verifies, each
 * signed field is covered, the MuSig2 key rules hold, and signatures starting with {@code 0x30} are
 * accepted here but never produced.
 */
class AdvertisementSignatureTest {

  private static final HexFormat HEX = HexFormat.of();
  static final PrivateKey KEY_ONE = PrivateKey.of(BigInteger.ONE);
  static final String VECTOR_MESSAGE =
      "12D3KooWSender[\"/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWSender\"]my-protocol[\"signing\"]17000000000001700001800000";
  static final String VECTOR_SHA256 = "bb4b840fd4f27f67e3e33181afa076505ff3a8769f49a97deb8e407f76d01523";
  static final String VECTOR_SIGNATURE =
      "84963e0f226a79bdd039863b95edefa2be4eced258bacb6f234f133cd7728003926860fcb7f4d13a88da5dcaa97759e74b46335907ea4c70623398fa40b1a21a";

  static DiscoveryAdvertisement.Builder vectorDraft() {
    return DiscoveryAdvertisement.builder()
        .id("ad-1")
        .protocol("my-protocol")
        .peerInfo(
            DiscoveryPeerInfo.of("12D3KooWSender", List.of("/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWSender"))
                .withPublicKey(KEY_ONE.publicKey()))
        .capabilities(List.of("signing"))
        .createdAt(1700000000000L)
        .expiresAt(1700001800000L)
        .reputation(80);
  }

  @Test
  void goldenVectorSignsAndVerifies() {
    DiscoveryAdvertisement.Builder draft = vectorDraft();
    assertThat(new String(draft.signedMessage(), StandardCharsets.UTF_8)).isEqualTo(VECTOR_MESSAGE);
    assertThat(HEX.formatHex(AdvertisementSigner.digest(draft.signedMessage()))).isEqualTo(VECTOR_SHA256);
    assertThat(AdvertisementJson.hex(KEY_ONE.publicKey()))
        .isEqualTo("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

    DiscoveryAdvertisement signed = AdvertisementSigner.sign(draft, KEY_ONE);
    assertThat(HEX.formatHex(signed.signature())).isEqualTo(VECTOR_SIGNATURE);
    assertThat(signed.createdAt()).isEqualTo(1700000000000L);
    assertThat(AdvertisementSigner.verify(signed)).contains(KEY_ONE.publicKey());

    DiscoveryAdvertisement fromVector = vectorDraft().signature(HEX.parseHex(VECTOR_SIGNATURE)).build();
    assertThat(AdvertisementSigner.verify(fromVector)).contains(KEY_ONE.publicKey());
  }

  @Test
  void everySignedFieldIsCoveredAndTheOthersAreNot() {
    DiscoveryAdvertisement ad = AdvertisementSigner.sign(vectorDraft(), KEY_ONE);
    byte[] sig = ad.signature();
    List<DiscoveryAdvertisement.Builder> tampered =
        List.of(
            ad.toBuilder().peerInfo(DiscoveryPeerInfo.of("12D3KooWOther", ad.peerInfo().multiaddrs()).withPublicKey(KEY_ONE.publicKey())),
            ad.toBuilder().peerInfo(DiscoveryPeerInfo.of("12D3KooWSender", List.of("/ip4/6.6.6.6/tcp/1")).withPublicKey(KEY_ONE.publicKey())),
            ad.toBuilder().protocol("other-protocol"),
            ad.toBuilder().capabilities(List.of("signing", "more")),
            ad.toBuilder().createdAt(ad.createdAt() + 1),
            ad.toBuilder().expiresAt(ad.expiresAt() + 1),
            ad.toBuilder().customCriteria(JsonNodeFactory.instance.objectNode().put("k", 1)));
    for (DiscoveryAdvertisement.Builder b : tampered) {
      assertThat(AdvertisementSigner.verify(b.signature(sig).build())).isEmpty();
    }
    // lotus-sdk leaves these out of the signature (reference 5.3); the SDK authenticates them
    // through the GossipSub author or the DHT record signature instead.
    DiscoveryAdvertisement unsignedFieldsChanged =
        ad.toBuilder()
            .id("another-id")
            .reputation(100)
            .metadata(JsonNodeFactory.instance.objectNode().put("m", "x"))
            .location(new GeoLocation(1, 2))
            .build();
    assertThat(AdvertisementSigner.verify(unsignedFieldsChanged)).isPresent();
  }

  @Test
  void customCriteriaAreSignedAsJsonStringifyWritesThem() {
    ObjectNode cc = JsonNodeFactory.instance.objectNode();
    cc.put("b", 1.0);
    cc.putArray("a").add(1.5).add("x\u2028");
    cc.put("2", true);
    cc.putNull("1");
    String message = new String(vectorDraft().customCriteria(cc).signedMessage(), StandardCharsets.UTF_8);
    // integer-like keys first in numeric order, then insertion order; 1.0 prints as 1
    assertThat(message).endsWith("1700001800000{\"1\":null,\"2\":true,\"b\":1,\"a\":[1.5,\"x\u2028\"]}");
    // an empty object is present, so it is signed as {}
    String empty =
        new String(
            vectorDraft().customCriteria(JsonNodeFactory.instance.objectNode()).signedMessage(),
            StandardCharsets.UTF_8);
    assertThat(empty).isEqualTo(VECTOR_MESSAGE + "{}");
  }

  @Test
  void signaturesStartingWith0x30AreAcceptedButNeverProduced() {
    long createdAt = 1700000000000L;
    byte[] sig = null;
    for (int i = 0; i < 5000; i++, createdAt++) {
      sig = AdvertisementSigner.signOnce(vectorDraft().createdAt(createdAt).expiresAt(createdAt + 1_800_000), KEY_ONE);
      if (sig[0] == 0x30) {
        break;
      }
    }
    assertThat(sig[0]).as("a createdAt whose signature starts with 0x30").isEqualTo((byte) 0x30);
    DiscoveryAdvertisement lotusSdkWouldReject =
        vectorDraft().createdAt(createdAt).expiresAt(createdAt + 1_800_000).signature(sig).build();
    assertThat(AdvertisementSigner.verify(lotusSdkWouldReject)).contains(KEY_ONE.publicKey());

    DiscoveryAdvertisement ours =
        AdvertisementSigner.sign(vectorDraft().createdAt(createdAt).expiresAt(createdAt + 1_800_000), KEY_ONE);
    assertThat(ours.signature()[0]).isNotEqualTo((byte) 0x30);
    assertThat(ours.createdAt()).isGreaterThan(createdAt);
    assertThat(ours.expiresAt() - ours.createdAt()).isEqualTo(1_800_000);
    assertThat(AdvertisementSigner.verify(ours)).contains(KEY_ONE.publicKey());
  }

  @Test
  void muSig2KeyRules() {
    PrivateKey signer = PrivateKey.of(BigInteger.valueOf(7));
    PrivateKey first = PrivateKey.of(BigInteger.valueOf(11));
    DiscoveryPeerInfo pi = DiscoveryPeerInfo.of("12D3KooWSender", List.of("/ip4/1.2.3.4/tcp/1"));

    // a signer advertisement: the top-level publicKey verifies, peerInfo.publicKey is not consulted
    DiscoveryAdvertisement signerAd =
        AdvertisementSigner.sign(
            vectorDraft().protocol("musig2").peerInfo(pi.withPublicKey(first.publicKey())).publicKey(signer.publicKey()),
            signer);
    assertThat(AdvertisementSigner.verify(signerAd)).contains(signer.publicKey());
    DiscoveryAdvertisement wrongTopLevel =
        AdvertisementSigner.sign(
            vectorDraft().protocol("musig2").peerInfo(pi.withPublicKey(signer.publicKey())).publicKey(first.publicKey()),
            signer);
    assertThat(AdvertisementSigner.verify(wrongTopLevel)).isEmpty();

    // lotus-sdk's signing request: creatorPublicKey is requiredPublicKeys[0], not the signer's key
    ObjectNode ext = JsonNodeFactory.instance.objectNode();
    ext.putArray("requiredPublicKeys")
        .add(AdvertisementJson.hex(first.publicKey()))
        .add("not a key")
        .add(AdvertisementJson.hex(signer.publicKey()));
    DiscoveryAdvertisement request =
        AdvertisementSigner.sign(
            vectorDraft().protocol("musig2-request").peerInfo(pi).creatorPublicKey(first.publicKey()).extensions(ext),
            signer);
    assertThat(AdvertisementSigner.verify(request)).contains(signer.publicKey());
    // a signer outside the required keys is still refused
    PrivateKey outsider = PrivateKey.of(BigInteger.valueOf(13));
    DiscoveryAdvertisement foreign =
        AdvertisementSigner.sign(
            vectorDraft().protocol("musig2-request").peerInfo(pi).creatorPublicKey(first.publicKey()).extensions(ext),
            outsider);
    assertThat(AdvertisementSigner.verify(foreign)).isEmpty();

    // other protocols use peerInfo.publicKey only
    DiscoveryAdvertisement other =
        AdvertisementSigner.sign(vectorDraft().peerInfo(pi).publicKey(signer.publicKey()), signer);
    assertThat(AdvertisementSigner.candidateKeys(other)).isEmpty();
    assertThat(AdvertisementSigner.verify(other)).isEmpty();
  }
}
