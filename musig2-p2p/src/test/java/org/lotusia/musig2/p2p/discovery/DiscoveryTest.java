package org.lotusia.musig2.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.sim.SimNetwork;
import org.lotusia.p2p.protocol.JsJsonWriter;

/** Signer adverts and signing requests between two nodes, and every refusal. */
class DiscoveryTest {

  final SimNetwork net = new SimNetwork(61);
  final SimNetwork.Node alice = net.node("alice");
  final SimNetwork.Node bob = net.node("bob");
  final MuSig2Discovery da = new MuSig2Discovery(alice, DiscoveryConfig.defaults(), net.time());
  final MuSig2Discovery db =
      new MuSig2Discovery(bob,
          new DiscoveryConfig(Duration.ofMinutes(30), Duration.ofMinutes(10), 5,
              Duration.ofHours(1), Duration.ofMinutes(5), 100, 2, 16 * 1024),
          net.time());
  final List<MuSig2DiscoveryEvent> heard = new ArrayList<>();
  final PrivateKey ka = PrivateKey.of(BigInteger.valueOf(0x0101));
  final PrivateKey kb = PrivateKey.of(BigInteger.valueOf(0x0202));
  final PrivateKey kc = PrivateKey.of(BigInteger.valueOf(0x0303));

  @BeforeEach
  void wire() {
    alice.addTopicSink(da::deliverTopic);
    bob.addTopicSink(db::deliverTopic);
    db.addListener(heard::add);
    da.start().join();
    db.start().join();
  }

  @Test
  void idsMatchLotusSdk() {
    byte[] a = HexFormat.of().parseHex(
        "031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f");
    assertThat(SignerAdvertisement.idOf(a)).isEqualTo("musig2:signer:d06b74dbed21676e37f678c1e5f3de61");
    assertThat(SigningRequest.idOf("42".repeat(32), List.of(
            "031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f",
            "024d4b6cd1361032ca9bd2aeb9d900aa4d45d9ead80ac9423374c451a7254d0766"),
        1700000000000L)).isEqualTo("musig2:request:e57e90e03309b20eee15af3f43cebdb5");
  }

  @Test
  void aSignerAdvertIsVerifiedAndCached() {
    SignerAdvertisement ad =
        da.advertiseSigner(ka, List.of("spend", "swap"), null, null, List.of("/ip4/1.2.3.4/tcp/1"))
            .join();
    net.time().advance(Duration.ofSeconds(1));
    assertThat(heard).singleElement().isInstanceOf(MuSig2DiscoveryEvent.SignerDiscovered.class);
    assertThat(db.signers()).singleElement().satisfies(s -> {
      assertThat(s.publicKey()).isEqualTo(ka.publicKeyBytes());
      assertThat(s.id()).isEqualTo(ad.id());
    });
    List<String> keys = new ArrayList<>();
    ad.toJson().fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("id", "protocol", "peerInfo", "publicKey", "transactionTypes",
        "capabilities", "createdAt", "expiresAt", "reputation", "signature", "customCriteria");
    assertThat(net.dhtHas(MuSig2Discovery.RESOURCE_TYPE, ad.id())).isTrue();
    da.withdrawSigner().join();
    assertThat(net.dhtHas(MuSig2Discovery.RESOURCE_TYPE, ad.id())).isFalse();
  }

  @Test
  void aSigningRequestNamesItsRealCreatorKey() {
    // the creator is not the first required key: lotus-sdk would name the first one
    List<byte[]> required = List.of(kb.publicKeyBytes(), ka.publicKeyBytes(), kc.publicKeyBytes());
    SigningRequest req = da.createSigningRequest(ka, required, new byte[32], null, List.of()).join();
    net.time().advance(Duration.ofSeconds(1));
    assertThat(req.creatorPublicKey()).isEqualTo(ka.publicKeyBytes());
    assertThat(heard).singleElement().isInstanceOf(MuSig2DiscoveryEvent.SigningRequestReceived.class);
    assertThat(db.signingRequests()).singleElement()
        .satisfies(r -> assertThat(r.requires(kb.publicKeyBytes())).isTrue());
    assertThatThrownBy(() -> da.createSigningRequest(kc, List.of(ka.publicKeyBytes()),
        new byte[32], null, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be one of the required keys");
  }

  @Test
  void forgedOrMismatchedAdvertsAreRefused() {
    SigningRequest req = da.createSigningRequest(ka, List.of(ka.publicKeyBytes(),
        kb.publicKeyBytes()), new byte[32], null, List.of()).join();
    net.time().advance(Duration.ofSeconds(1));
    heard.clear();
    // the top-level hash changed, the signed criteria not
    ObjectNode swapped = req.toJson();
    swapped.put("messageHash", "11".repeat(32));
    db.deliverTopic(SigningRequest.TOPIC, "alice", bytes(swapped));
    // republished by another peer
    db.deliverTopic(SigningRequest.TOPIC, "mallory", bytes(req.toJson()));
    // lotus-sdk's defect: creatorPublicKey is the first required key, signed by another
    ObjectNode lotus = req.toJson();
    lotus.put("creatorPublicKey", HexFormat.of().formatHex(kb.publicKeyBytes()));
    db.deliverTopic(SigningRequest.TOPIC, "alice", bytes(lotus));
    // malformed
    db.deliverTopic(SigningRequest.TOPIC, "alice", "{\"protocol\":5}".getBytes(StandardCharsets.UTF_8));
    net.time().advance(Duration.ofSeconds(1));
    assertThat(heard).hasSize(4).allMatch(e -> e instanceof MuSig2DiscoveryEvent.AdvertRejected);
    assertThat(((MuSig2DiscoveryEvent.AdvertRejected) heard.get(0)).reason())
        .contains("differ from the signed criteria");
    assertThat(((MuSig2DiscoveryEvent.AdvertRejected) heard.get(1)).reason())
        .contains("published by mallory");
    assertThat(((MuSig2DiscoveryEvent.AdvertRejected) heard.get(2)).reason())
        .contains("signature does not verify");
    assertThat(((MuSig2DiscoveryEvent.AdvertRejected) heard.get(3)).reason())
        .contains("does not decode");
    // expired
    net.time().advance(Duration.ofMinutes(11));
    heard.clear();
    db.deliverTopic(SigningRequest.TOPIC, "alice", bytes(req.toJson()));
    net.time().advance(Duration.ofSeconds(1));
    assertThat(((MuSig2DiscoveryEvent.AdvertRejected) heard.get(0)).reason()).isEqualTo("expired");
    assertThat(db.signingRequests()).isEmpty();
  }

  @Test
  void theCacheAndOwnRequestsAreBounded() {
    for (int i = 0; i < 3; i++) {
      da.createSigningRequest(ka, List.of(ka.publicKeyBytes()), new byte[] {
          (byte) i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0}, null, List.of()).join();
    }
    net.time().advance(Duration.ofSeconds(1));
    assertThat(db.signingRequests()).hasSize(2);
    assertThat(heard).filteredOn(e -> e instanceof MuSig2DiscoveryEvent.AdvertRejected).singleElement()
        .satisfies(e -> assertThat(((MuSig2DiscoveryEvent.AdvertRejected) e).reason())
            .contains("more than 2 adverts of one peer"));
    for (int i = 3; i < 5; i++) {
      byte[] h = new byte[32];
      h[0] = (byte) i;
      da.createSigningRequest(ka, List.of(ka.publicKeyBytes()), h, null, List.of()).join();
    }
    assertThatThrownBy(() -> da.createSigningRequest(ka, List.of(ka.publicKeyBytes()),
        new byte[32], null, List.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxConcurrentRequests");
  }

  static byte[] bytes(ObjectNode o) {
    return JsJsonWriter.write(o).getBytes(StandardCharsets.UTF_8);
  }
}
