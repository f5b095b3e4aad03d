package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;

/** The transport JSON of reference section 5.2: exact round trips, strict reading, limits as attacks. */
class AdvertisementJsonTest {

  private static final AdvertisementLimits LIMITS = AdvertisementLimits.DEFAULT;
  private static final String KEY_HEX = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

  /** lotus-sdk's verified sample shape (reference 5.2) with the vector's values. */
  static final String LOTUS_SAMPLE =
      "{\"id\":\"ad-1\",\"protocol\":\"my-protocol\",\"peerInfo\":{\"peerId\":\"12D3KooWSender\","
          + "\"multiaddrs\":[\"/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWSender\"],\"publicKey\":\"" + KEY_HEX + "\"},"
          + "\"capabilities\":[\"signing\"],\"signature\":\"" + AdvertisementSignatureTest.VECTOR_SIGNATURE + "\","
          + "\"createdAt\":1700000000000,\"expiresAt\":1700001800000,\"reputation\":80}";

  private static DiscoveryAdvertisement read(String json) {
    return AdvertisementJson.read(json.getBytes(StandardCharsets.UTF_8), LIMITS);
  }

  private static String write(DiscoveryAdvertisement ad) {
    return new String(AdvertisementJson.write(ad), StandardCharsets.UTF_8);
  }

  @Test
  void lotusSdkSampleReadsVerifiesAndWritesBackByteForByte() {
    DiscoveryAdvertisement ad = read(LOTUS_SAMPLE);
    assertThat(ad.id()).isEqualTo("ad-1");
    assertThat(ad.peerInfo().publicKey()).contains(AdvertisementSignatureTest.KEY_ONE.publicKey());
    assertThat(ad.reputation()).isEqualTo(80);
    assertThat(AdvertisementSigner.verify(ad)).isPresent();
    assertThat(write(ad)).isEqualTo(LOTUS_SAMPLE);
  }

  @Test
  void everyFieldRoundTrips() {
    PrivateKey k = PrivateKey.of(BigInteger.valueOf(5));
    ObjectNode extra = JsonNodeFactory.instance.objectNode().put("lastSeen", 1700000000000L);
    extra.putObject("metadata").put("client", "js");
    ObjectNode ext = JsonNodeFactory.instance.objectNode();
    ext.putArray("transactionTypes").add("spend").add("swap");
    ext.putObject("creatorSignature").put("type", "Buffer").putArray("data");
    ObjectNode cc = JsonNodeFactory.instance.objectNode().put("fee", 0.25).put("b", "x");
    cc.putArray("list").add(1).add(2);
    DiscoveryAdvertisement ad =
        AdvertisementSigner.sign(
            AdvertisementSignatureTest.vectorDraft()
                .protocol("musig2")
                .peerInfo(new DiscoveryPeerInfo("12D3KooWSender", List.of("/ip4/1.2.3.4/tcp/1", "/dns4/x/tcp/2/ws"), java.util.Optional.of(k.publicKey()), extra))
                .metadata(JsonNodeFactory.instance.objectNode().put("nick", "ü\u2028\"quoted\""))
                .customCriteria(cc)
                .location(new GeoLocation(48.8566, 2.3522))
                .publicKey(k.publicKey())
                .creatorPublicKey(AdvertisementSignatureTest.KEY_ONE.publicKey())
                .extensions(ext)
                .reputation(12.5),
            k);
    String json = write(ad);
    DiscoveryAdvertisement back = read(json);
    assertThat(back).isEqualTo(ad);
    assertThat(write(back)).isEqualTo(json);
    assertThat(AdvertisementSigner.verify(back)).contains(k.publicKey());
    assertThat(json)
        .contains("\"peerInfo\":{\"peerId\":\"12D3KooWSender\",\"multiaddrs\":[\"/ip4/1.2.3.4/tcp/1\",\"/dns4/x/tcp/2/ws\"],\"publicKey\":\"")
        .contains("\"lastSeen\":1700000000000")
        .contains("\"reputation\":12.5")
        .contains("\"location\":{\"latitude\":48.8566,\"longitude\":2.3522}")
        .contains("\"transactionTypes\":[\"spend\",\"swap\"]")
        .contains("\"creatorPublicKey\":\"" + KEY_HEX + "\"");
  }

  @Test
  void ourJsonIsWhatLotusSdkReads() throws Exception {
    DiscoveryAdvertisement ad = AdvertisementSigner.sign(AdvertisementSignatureTest.vectorDraft(), AdvertisementSignatureTest.KEY_ONE);
    var tree = org.lotusia.p2p.coordinator.internal.Json.MAPPER.readTree(AdvertisementJson.write(ad));
    assertThat(iterable(tree.fieldNames()))
        .containsExactly("id", "protocol", "peerInfo", "capabilities", "signature", "createdAt", "expiresAt", "reputation");
    assertThat(iterable(tree.get("peerInfo").fieldNames())).containsExactly("peerId", "multiaddrs", "publicKey");
    // Buffer.from(hex) and PublicKey.fromString take lower-case hex of 64 and 33 bytes
    assertThat(tree.get("signature").textValue()).matches("[0-9a-f]{128}");
    assertThat(tree.get("peerInfo").get("publicKey").textValue()).isEqualTo(KEY_HEX);
    // Date.now() values: plain integers
    assertThat(tree.get("createdAt").isIntegralNumber()).isTrue();
    assertThat(tree.get("expiresAt").asLong()).isEqualTo(1700001800000L);
  }

  /**
   * Found by {@code AdvertisementFuzzTest} (kept in its corpus): {@code 10.000} was kept as a
   * decimal, written back as {@code 10}, and read back as another advertisement.
   */
  @Test
  void numbersAreReadAsAJsPeerHoldsThemSoAReadCopyEqualsItsWrittenForm() {
    String json =
        LOTUS_SAMPLE.replace(
            "\"reputation\":80}",
            "\"reputation\":80.0,\"metadata\":{\"fee\":1.50,\"n\":2.0},\"extra\":{\"minAmount\":10.000}}");
    DiscoveryAdvertisement ad = read(json);
    assertThat(ad.metadata().orElseThrow().get("n").isIntegralNumber()).isTrue();
    assertThat(ad.extensions().get("extra").get("minAmount").isIntegralNumber()).isTrue();
    String written = write(ad);
    assertThat(written).contains("\"metadata\":{\"fee\":1.5,\"n\":2}", "\"extra\":{\"minAmount\":10}");
    assertThat(read(written)).isEqualTo(ad);
  }

  @Test
  void nullOptionalMembersReadAsAbsentAndUpperCaseHexIsAccepted() {
    String json =
        LOTUS_SAMPLE
            .replace(KEY_HEX, KEY_HEX.toUpperCase())
            .replace("\"reputation\":80}", "\"reputation\":80,\"metadata\":null,\"customCriteria\":null,\"location\":null,\"publicKey\":null}");
    DiscoveryAdvertisement ad = read(json);
    assertThat(ad.metadata()).isEmpty();
    assertThat(ad.customCriteria()).isEmpty();
    assertThat(ad.publicKey()).isEmpty();
    assertThat(write(ad)).isEqualTo(LOTUS_SAMPLE);
  }

  @Test
  void malformedAdvertisementsAreRefusedWithTheFieldNamed() {
    Map<String, String> bad =
        Map.ofEntries(
            Map.entry("[]", "JSON object"),
            Map.entry("{\"id\":", "not valid JSON"),
            Map.entry(LOTUS_SAMPLE.replace(",\"signature\":\"" + AdvertisementSignatureTest.VECTOR_SIGNATURE + "\"", ""), "signature is missing"),
            Map.entry(LOTUS_SAMPLE.replace("\"signature\":\"84", "\"signature\":\""), "signature must be 128 hex digits"),
            Map.entry(LOTUS_SAMPLE.replace("\"signature\":\"84", "\"signature\":\"zz"), "signature is not hex"),
            Map.entry(LOTUS_SAMPLE.replace(KEY_HEX, "04" + KEY_HEX.substring(2)), "compressed key"),
            Map.entry(LOTUS_SAMPLE.replace(KEY_HEX, "02" + "f".repeat(64)), "not a valid secp256k1 key"),
            Map.entry(LOTUS_SAMPLE.replace("1700000000000", "1700000000000.5"), "createdAt must be an integer"),
            Map.entry(LOTUS_SAMPLE.replace("1700000000000", "-1"), "createdAt"),
            Map.entry(LOTUS_SAMPLE.replace("1700001800000", "9007199254740992"), "expiresAt"),
            Map.entry(LOTUS_SAMPLE.replace("1700001800000", "\"1700001800000\""), "expiresAt"),
            Map.entry(LOTUS_SAMPLE.replace("[\"signing\"]", "\"signing\""), "capabilities must be an array"),
            Map.entry(LOTUS_SAMPLE.replace("[\"signing\"]", "[1]"), "capabilities must be an array of strings"),
            Map.entry(LOTUS_SAMPLE.replace("[\"/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWSender\"]", "[]"), "at least one address"),
            Map.entry(LOTUS_SAMPLE.replace("\"/ip4/1.2.3.4", "\"ip4/1.2.3.4"), "does not start with /"),
            Map.entry(LOTUS_SAMPLE.replace("\"peerId\":\"12D3KooWSender\",", ""), "peerInfo.peerId is missing"),
            Map.entry(LOTUS_SAMPLE.replace("\"protocol\":\"my-protocol\"", "\"protocol\":\"my protocol\""), "protocol may hold"),
            Map.entry(LOTUS_SAMPLE.replace("\"id\":\"ad-1\"", "\"id\":\"\""), "id must have 1 to 256"),
            Map.entry(LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":\"80\""), "reputation must be a finite number"),
            Map.entry(LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":80,\"location\":{\"latitude\":91,\"longitude\":0}"), "latitude"),
            Map.entry(LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":80,\"location\":{\"latitude\":1,\"longitude\":0,\"alt\":3}"), "unknown member 'alt'"),
            Map.entry(LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":80,\"customCriteria\":[1]"), "customCriteria must be a JSON object"),
            Map.entry(LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":80,\"metadata\":\"x\""), "metadata must be a JSON object"),
            Map.entry(LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":80,\"creatorPublicKey\":5"), "creatorPublicKey must be a hex string"));
    for (Map.Entry<String, String> e : bad.entrySet()) {
      assertThatThrownBy(() -> read(e.getKey()))
          .as(e.getKey())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(e.getValue());
    }
  }

  @Test
  void limitsRefuseOversizedInputBeforeAnythingElse() {
    AdvertisementLimits tight = new AdvertisementLimits(1024, 8, 2, 64, 3, 16);
    String many = LOTUS_SAMPLE.replace("[\"/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWSender\"]", "[\"/a\",\"/b\",\"/c\"]");
    assertThatThrownBy(() -> AdvertisementJson.read(bytes(many), tight)).hasMessageContaining("peerInfo.multiaddrs holds 3 entries, the limit is 2");
    String longAddr = LOTUS_SAMPLE.replace("/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWSender", "/" + "x".repeat(64));
    assertThatThrownBy(() -> AdvertisementJson.read(bytes(longAddr), tight)).hasMessageContaining("peerInfo.multiaddrs entry must have 1 to 64");
    String caps = LOTUS_SAMPLE.replace("[\"signing\"]", "[\"a\",\"b\",\"c\",\"d\"]");
    assertThatThrownBy(() -> AdvertisementJson.read(bytes(caps), tight)).hasMessageContaining("capabilities holds 4 entries, the limit is 3");
    String longCap = LOTUS_SAMPLE.replace("[\"signing\"]", "[\"" + "c".repeat(17) + "\"]");
    assertThatThrownBy(() -> AdvertisementJson.read(bytes(longCap), tight)).hasMessageContaining("capabilities entry must have 1 to 16");
    String longId = LOTUS_SAMPLE.replace("\"ad-1\"", "\"" + "i".repeat(9) + "\"");
    assertThatThrownBy(() -> AdvertisementJson.read(bytes(longId), tight)).hasMessageContaining("id must have 1 to 8");
    String big = LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":80,\"metadata\":{\"pad\":\"" + "p".repeat(1024) + "\"}");
    assertThatThrownBy(() -> AdvertisementJson.read(bytes(big), tight)).hasMessageContaining("bytes, the limit is 1024");
    assertThatThrownBy(() -> AdvertisementJson.fromTree(org.lotusia.p2p.coordinator.internal.Json.parse(bytes(big), "x"), tight))
        .hasMessageContaining("the limit is 1024");
    String deep = LOTUS_SAMPLE.replace("\"reputation\":80", "\"reputation\":80,\"x\":" + "[".repeat(300) + "]".repeat(300));
    assertThatThrownBy(() -> read(deep)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdvertisementLimits(100, 1, 1, 1, 1, 1)).hasMessageContaining("maxBytes must be at least 256");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
