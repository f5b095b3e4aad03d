package org.lotusia.swapsig.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.swapsig.PoolParameters;
import org.lotusia.swapsig.crypto.PoolDigests;

class WireTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String POOL = "a1".repeat(32);
  private final PrivateKey creator = PrivateKey.random(new SecureRandom());
  private final PrivateKey signer = PrivateKey.random(new SecureRandom());

  @Test
  void announcementRoundTripsAndItsSignatureCoversEveryTerm() throws Exception {
    PoolAnnouncement a =
        PoolAnnouncement.create(POOL, PoolParameters.builder(1_000_000).build(), 1_700_000_000_000L, "12D3KooWx", creator);
    ObjectNode json = a.toJson();
    PoolAnnouncement back = PoolAnnouncement.decode(CanonicalJson.MAPPER.readTree(json.toString()));
    assertThat(back).isEqualTo(a);
    assertThat(back.verifySignature()).isTrue();
    // lotus-sdk's fields are there
    assertThat(json.get("burnConfig").get("burnIdentifier").asText()).isEqualTo("SWAPSIG_BURN");
    assertThat(json.get("expiresAt").asLong()).isEqualTo(1_700_000_000_000L + 600_000);
    for (String field : List.of("feeRate", "refundLockBlocks", "requiredConfirmations", "setupTimeout")) {
      ObjectNode t = json.deepCopy();
      t.put(field, json.get(field).asLong() + 1);
      assertThat(PoolAnnouncement.decode(t).verifySignature()).as(field).isFalse();
    }
  }

  @Test
  void announcementDecodingNamesTheBadField() {
    PoolAnnouncement a =
        PoolAnnouncement.create(POOL, PoolParameters.builder(1_000_000).build(), 1, "p", creator);
    ObjectNode j = a.toJson();
    j.remove("creatorPublicKey");
    assertThatThrownBy(() -> PoolAnnouncement.decode(j))
        .isInstanceOf(MalformedSwapSigMessageException.class).hasMessageContaining("creatorPublicKey");
    ObjectNode k = a.toJson();
    k.put("feeRate", 0);
    assertThatThrownBy(() -> PoolAnnouncement.decode(k))
        .isInstanceOf(MalformedSwapSigMessageException.class).hasMessageContaining("feeRate");
    ObjectNode e = a.toJson();
    e.put("expiresAt", 5);
    assertThatThrownBy(() -> PoolAnnouncement.decode(e)).hasMessageContaining("expiresAt");
    ObjectNode p = a.toJson();
    p.put("poolId", "zz".repeat(32));
    assertThatThrownBy(() -> PoolAnnouncement.decode(p)).hasMessageContaining("poolId");
  }

  @Test
  void signaturesIgnoreMemberOrderButBindTheType() throws Exception {
    PoolAbort abort = new PoolAbort(POOL, "why", hex(signer), 5, null);
    ObjectNode signed = abort.signedJson(signer);
    ObjectNode reordered = CanonicalJson.MAPPER.createObjectNode();
    List<String> names = new java.util.ArrayList<>();
    signed.fieldNames().forEachRemaining(names::add);
    java.util.Collections.reverse(names);
    names.forEach(n -> reordered.set(n, signed.get(n)));
    assertThat(Signing.verify(SwapSigMessageTypes.POOL_ABORT, reordered, hex(signer))).isTrue();
    assertThat(Signing.verify(SwapSigMessageTypes.PARTICIPANT_DROPPED, signed, hex(signer))).isFalse();
    assertThat(PoolAbort.decode(signed).verify(hex(signer))).isTrue();
    assertThat(PoolAbort.decode(signed).verify(hex(creator))).isFalse();
    ObjectNode changed = signed.deepCopy().put("reason", "other");
    assertThat(PoolAbort.decode(changed).verify(hex(signer))).isFalse();
  }

  @Test
  void everyMessageTypeRoundTrips() {
    ParticipantRegistration r =
        ParticipantRegistration.decode(
            new ParticipantRegistration(POOL, "peer", hex(signer), "11".repeat(32), 7, hex(creator), 1_100_000,
                    "22".repeat(64), "33".repeat(32), "44".repeat(32), 9, null)
                .signedJson(signer));
    Roster roster =
        Roster.decode(new Roster(POOL, 2, List.of(r), List.of(new Roster.Exclusion(hex(signer), "x")), 9, null)
            .signedJson(creator));
    assertThat(roster.participants()).containsExactly(r);
    assertThat(roster.verify(hex(creator))).isTrue();
    List<PoolMessage> all =
        List.of(
            r,
            new RegistrationAck(POOL, "c", hex(signer), false, "full", 9, null),
            roster,
            new SetupSubmission(POOL, 1, 0, hex(signer), "55".repeat(32), "00".repeat(100), 9, null),
            new SetupComplete(POOL, 1, List.of("00".repeat(100), "01".repeat(120)), 9, null),
            new DestinationReveal(POOL, 1, 2, hex(signer), hex(creator), "66".repeat(32), "77".repeat(60), 9, null),
            new SettlementBroadcast(POOL, 1, 3, "88".repeat(32), hex(signer), 9, null),
            new PoolAbort(POOL, "why", hex(signer), 9, null),
            new ParticipantDropped(POOL, 1, "p", hex(creator), "spent", hex(signer), 9, null));
    for (PoolMessage m : all) {
      ObjectNode signed = m.signedJson(signer);
      PoolMessage back = PoolMessages.decode(m.type(), signed);
      assertThat(back.type()).isEqualTo(m.type());
      assertThat(back.verify(hex(signer))).as(m.type()).isTrue();
      assertThat(back.toJson()).isEqualTo(signed);
    }
  }

  @Test
  void malformedPayloadsAreRefusedNamingTheField() {
    ObjectNode abort = new PoolAbort(POOL, "why", hex(signer), 9, null).signedJson(signer);
    abort.put("publicKey", "04" + "00".repeat(32));
    assertThatThrownBy(() -> PoolMessages.decode(SwapSigMessageTypes.POOL_ABORT, abort))
        .isInstanceOf(MalformedSwapSigMessageException.class).hasMessageContaining("publicKey");
    ObjectNode r = new PoolAbort(POOL, "x".repeat(513), hex(signer), 9, null).signedJson(signer);
    assertThatThrownBy(() -> PoolMessages.decode(SwapSigMessageTypes.POOL_ABORT, r)).hasMessageContaining("reason");
    assertThatThrownBy(() -> PoolMessages.decode("swapsig:nope", abort)).hasMessageContaining("unknown message type");
    assertThatThrownBy(() -> PoolMessages.decode(SwapSigMessageTypes.POOL_ABORT, null)).hasMessageContaining("no payload");
    assertThatThrownBy(() -> PoolMessages.decode(null, abort))
        .isInstanceOf(MalformedSwapSigMessageException.class).hasMessageContaining("no type");
    ObjectNode sub =
        new SetupSubmission(POOL, 1, 0, hex(signer), "55".repeat(32), "00".repeat(100), 9, null).signedJson(signer);
    sub.put("rawTx", "00".repeat(SetupSubmission.MAX_TX_BYTES + 1));
    assertThatThrownBy(() -> PoolMessages.decode(SwapSigMessageTypes.SETUP_TX_BROADCAST, sub)).hasMessageContaining("rawTx");
    ObjectNode roster = new Roster(POOL, 1, List.of(), List.of(), 9, null).signedJson(creator);
    ArrayNode many = roster.putArray("participants");
    for (int i = 0; i <= PoolParameters.MAX_PARTICIPANTS; i++) {
      many.addObject();
    }
    assertThatThrownBy(() -> PoolMessages.decode(SwapSigMessageTypes.ROSTER, roster)).hasMessageContaining("at most 50");
    ObjectNode round = new Roster(POOL, 1, List.of(), List.of(), 9, null).signedJson(creator).put("round", 17);
    assertThatThrownBy(() -> PoolMessages.decode(SwapSigMessageTypes.ROSTER, round)).hasMessageContaining("round");
  }

  @Test
  void ownershipProofsAreBoundToPoolInputAndSignerKey() {
    OutPoint in = OutPoint.fromDisplayHex("11".repeat(32), 258);
    byte[] d = PoolDigests.ownership(POOL, in, signer.publicKeyBytes());
    assertThat(d).isNotEqualTo(PoolDigests.ownership(POOL, in, creator.publicKeyBytes()));
    assertThat(d).isNotEqualTo(PoolDigests.ownership("b2".repeat(32), in, signer.publicKeyBytes()));
    // lotus-sdk kept one byte of the index: 258 and 2 collided
    assertThat(d).isNotEqualTo(PoolDigests.ownership(POOL, OutPoint.fromDisplayHex("11".repeat(32), 2), signer.publicKeyBytes()));
  }

  @Test
  void canonicalBytesSortMembersAndDropTheSignature() throws Exception {
    JsonNode a = CanonicalJson.MAPPER.readTree("{\"b\":1,\"a\":{\"d\":[2,{\"z\":1,\"y\":2}],\"c\":\"x\"},\"signature\":\"s\"}");
    assertThat(new String(CanonicalJson.bytes(a, "signature"), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"c\":\"x\",\"d\":[2,{\"y\":2,\"z\":1}]},\"b\":1}");
  }

  private static String hex(PrivateKey k) {
    return HEX.formatHex(k.publicKeyBytes());
  }
}
