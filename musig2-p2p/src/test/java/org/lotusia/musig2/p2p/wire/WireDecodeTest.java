package org.lotusia.musig2.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.musig2.p2p.election.ElectionMethod;
import org.lotusia.p2p.protocol.P2PMessage;

/** The strict decoders: every malformed field is refused with its name and what is accepted. */
class WireDecodeTest {

  static final String ID = "478761f373daf1d6ec0c5461a958bb3c";
  static final String P1 = "02fba0f2a64cf4c1318483904c2c09265d7ed7371178ee6ade4466658fd5aeef81";
  static final String P2 = "028aef38634593f4ad946998735b592121b431ac4edc4f1a0b5bbed29befec70f6";

  static ObjectNode parse(String json) {
    return WireJson.parseObject(json.replace('\'', '"'), "test");
  }

  static SessionMessage decode(MessageType t, String json) {
    return SessionMessages.decode(t, parse(json));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NONCE_SHARE|{'signerIndex':1,'publicNonces':{'r1':'" + P1 + "','r2':'" + P2 + "'},'timestamp':1}|sessionId|required field is missing",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'publicNonces':{'r1':'" + P1 + "','r2':'zz" + "'},'timestamp':1}|publicNonces.r2|expected 66 hex characters",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'publicNonces':{'r1':'" + P1 + "','r2':'0x8aef38634593f4ad946998735b592121b431ac4edc4f1a0b5bbed29befec70f6'},'timestamp':1}|publicNonces.r2|invalid hex character 'x'",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'publicNonces':{'r1':'" + P1 + "','r2':'" + P2 + "','r3':'" + P1 + "'},'timestamp':1}|publicNonces.r3|only the two points",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'publicNonces':{'r1':'04fba0f2a64cf4c1318483904c2c09265d7ed7371178ee6ade4466658fd5aeef81','r2':'" + P2 + "'},'timestamp':1}|publicNonces.r1|starts with 02 or 03",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':'1','publicNonces':{'r1':'" + P1 + "','r2':'" + P2 + "'},'timestamp':1}|signerIndex|expected a number, got string",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':1.5,'publicNonces':{'r1':'" + P1 + "','r2':'" + P2 + "'},'timestamp':1}|signerIndex|expected an integer",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':-1,'publicNonces':{'r1':'" + P1 + "','r2':'" + P2 + "'},'timestamp':1}|signerIndex|expected an integer",
        "NONCE_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'publicNonces':['" + P1 + "'],'timestamp':1}|publicNonces|expected an object, got array",
        "PARTIAL_SIG_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'partialSig':'05','timestamp':1}|partialSig|expected 64 hex characters (32 bytes), got 2",
        "PARTIAL_SIG_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'partialSig':5,'timestamp':1}|partialSig|expected a hex string of 32 bytes, got number",
        "PARTIAL_SIG_SHARE|{'sessionId':'','signerIndex':1,'partialSig':'" + P1 + "','timestamp':1}|sessionId|must not be empty",
        "PARTIAL_SIG_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'partialSig':'0000000000000000000000000000000000000000000000000000000000000005','timestamp':9007199254740992}|timestamp|expected an integer in [0, 9007199254740991]",
        "SESSION_JOIN|{'sessionId':'" + ID + "','signerPublicKey':'04fba0f2a64cf4c1318483904c2c09265d7ed7371178ee6ade4466658fd5aeef81fba0f2a64cf4c1318483904c2c09265d7ed7371178ee6ade4466658fd5aeef81','timestamp':1}|signerPublicKey|expected 66 hex characters",
        "SESSION_JOIN_ACK|{'sessionId':'" + ID + "','accepted':true,'timestamp':1}|signerIndex|required when 'accepted' is true",
        "SESSION_JOIN_ACK|{'sessionId':'" + ID + "','accepted':false,'timestamp':1}|reason|required when 'accepted' is false",
        "SESSION_JOIN_ACK|{'sessionId':'" + ID + "','accepted':'yes','signerIndex':1,'timestamp':1}|accepted|expected true or false, got string",
        "SESSION_COMPLETE|{'sessionId':'" + ID + "','finalSignature':{'r':'" + P1 + "','s':'00'},'timestamp':1}|finalSignature.r|expected 64 hex characters",
        "SESSION_ABORT|{'sessionId':'" + ID + "','timestamp':1}|reason|required field is missing",
        "SESSION_PARTICIPANTS|{'sessionId':'" + ID + "','participants':[{'signerIndex':0,'peerId':'p','publicKey':'00'}],'timestamp':1}|participants[0].publicKey|expected 66 hex characters",
        "SESSION_PARTICIPANTS|{'sessionId':'" + ID + "','participants':[7],'timestamp':1}|participants[0]|expected an object, got number",
        "NONCE_COMMITMENT|{'sessionId':'" + ID + "','signerIndex':0,'commitment':'" + P1 + "','timestamp':1}|commitment|expected 64 hex characters",
        "COORDINATOR_FAILOVER|{'sessionId':'" + ID + "','failedIndex':0,'newIndex':1,'timestamp':1}|signerIndex|required field is missing",
        "PARTIAL_SIG_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'partialSig':'0000000000000000000000000000000000000000000000000000000000000005','timestamp':1,'sequenceNumber':3}|signature|required when 'sequenceNumber' is present",
        "PARTIAL_SIG_SHARE|{'sessionId':'" + ID + "','signerIndex':1,'partialSig':'0000000000000000000000000000000000000000000000000000000000000005','timestamp':1,'sequenceNumber':2147483648,'signature':'00'}|sequenceNumber|expected an integer in [0, 2147483647]",
      })
  void malformedFieldsAreNamed(String type, String json, String field, String problem) {
    assertThatThrownBy(() -> decode(MessageType.valueOf(type), json))
        .isInstanceOf(MalformedMessageException.class)
        .satisfies(e -> assertThat(((MalformedMessageException) e).field()).isEqualTo(field))
        .hasMessageContaining(problem);
  }

  @Test
  void upperCaseHexIsAcceptedAndWrittenInLowerCase() {
    SessionMessage m =
        decode(MessageType.PARTIAL_SIG_SHARE, "{'sessionId':'" + ID + "','signerIndex':1,"
            + "'partialSig':'00000000000000000000000000000000000000000000000000000000000000AB',"
            + "'timestamp':1,'extra':{'ignored':true}}");
    assertThat(m.toJson().get("partialSig").asText()).endsWith("ab");
  }

  @Test
  void payloadsMustBeObjectsOrStringsHoldingOne() {
    P2PMessage number = envelope(JsonNodeFactory.instance.numberNode(5));
    assertThatThrownBy(() -> SessionMessages.decode(number))
        .hasMessageContaining("expected an object or a string holding one, got number");
    P2PMessage badText = envelope(JsonNodeFactory.instance.textNode("{not json"));
    assertThatThrownBy(() -> SessionMessages.decode(badText))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("not valid JSON");
    P2PMessage array = envelope(JsonNodeFactory.instance.textNode("[1,2]"));
    assertThatThrownBy(() -> SessionMessages.decode(array))
        .hasMessageContaining("expected a JSON object, got array");
    P2PMessage deep = envelope(JsonNodeFactory.instance.textNode("[".repeat(100) + "]".repeat(100)));
    assertThatThrownBy(() -> SessionMessages.decode(deep))
        .isInstanceOf(MalformedMessageException.class);
    P2PMessage huge =
        envelope(JsonNodeFactory.instance.textNode("x".repeat(SessionMessages.MAX_PAYLOAD_TEXT + 1)));
    assertThatThrownBy(() -> SessionMessages.decode(huge)).hasMessageContaining("exceeds the limit");
    P2PMessage otherProtocol =
        new P2PMessage("musig2:nonce-share", "p", null, parse("{}"), 1, "m", null, "swapsig");
    assertThatThrownBy(() -> SessionMessages.decode(otherProtocol))
        .hasMessageContaining("field 'protocol'");
    P2PMessage otherType =
        new P2PMessage("musig2:hello", "p", null, parse("{}"), 1, "m", null, "musig2");
    assertThatThrownBy(() -> SessionMessages.decode(otherType))
        .hasMessageContaining("not a MuSig2 session message type");
  }

  static P2PMessage envelope(com.fasterxml.jackson.databind.JsonNode payload) {
    return new P2PMessage("musig2:nonce-share", "p", null, payload, 1, "m", null, "musig2");
  }

  @Test
  void everyMessageRoundTripsThroughItsEncoding() {
    byte[] k = HexFormat.of().parseHex(P1);
    MessageAuth auth = new MessageAuth(7, new byte[64]);
    List<SessionMessage> all =
        List.of(
            new JoinRequest(ID, k, 5, auth),
            new JoinAck(ID, true, 2, null, 5, auth),
            new JoinAck(ID, false, null, "Already joined", 5, auth),
            new ParticipantList(ID, List.of(new Participant(0, "a", k), new Participant(1, "b", k)), 5, auth),
            new NonceCommitment(ID, 1, new byte[32], 5, auth),
            new NonceShare(ID, 1, k, HexFormat.of().parseHex(P2), 5, auth),
            new PartialSignatureShare(ID, 1, new byte[32], 5, new byte[32], auth),
            new PartialSignatureShare(ID, 1, new byte[32], 5, null, auth),
            new SessionAbort(ID, "because", 5, 1, auth),
            new SessionComplete(ID, new byte[64], 5, 1, auth),
            new CoordinatorFailover(ID, 0, 1, 5, 1, auth));
    for (SessionMessage m : all) {
      assertThat(SessionMessages.decode(m.type(), m.toJson())).isEqualTo(m);
      // the signed encoding differs between every two messages
    }
    assertThat(all.stream().map(m -> HexFormat.of().formatHex(
        SignedEncoding.messageDigest("peer", "id", 1, m))).distinct().count()).isEqualTo(all.size());
  }

  @Test
  void announcementsAreCheckedStrictly() {
    byte[] msg = new byte[32];
    byte[] a = HexFormat.of().parseHex(P2);
    byte[] b = HexFormat.of().parseHex(P1);
    SessionAnnouncement ann =
        new SessionAnnouncement(ID, "peer", List.of(a, b), Hashes.sha256(msg), 1, 2, null, msg, a,
            ElectionMethod.HASH_BASED, new byte[32], true, new byte[64]);
    assertThat(SessionAnnouncement.decode(ann.toJson())).isEqualTo(ann);
    ObjectNode unsorted = ann.toJson();
    unsorted.putArray("signers").add(P1).add(P2);
    assertThatThrownBy(() -> SessionAnnouncement.decode(unsorted))
        .hasMessageContaining("signers[1]").hasMessageContaining("ascending byte order");
    ObjectNode count = ann.toJson();
    count.put("requiredSigners", 3);
    assertThatThrownBy(() -> SessionAnnouncement.decode(count))
        .hasMessageContaining("requiredSigners").hasMessageContaining("differs from the 2 signers");
    ObjectNode hash = ann.toJson();
    hash.put("messageHash", "00".repeat(32));
    assertThatThrownBy(() -> SessionAnnouncement.decode(hash))
        .hasMessageContaining("is not SHA-256 of 'message'");
    ObjectNode method = ann.toJson();
    method.put("electionMethod", "random");
    assertThatThrownBy(() -> SessionAnnouncement.decode(method))
        .hasMessageContaining("unknown method 'random'");
    // lotus-sdk's unsigned form decodes, without the added fields
    ObjectNode lotus = ann.toJson();
    for (String f : List.of("message", "creatorPublicKey", "electionMethod", "taprootMerkleRoot",
        "nonceCommitments", "signature")) {
      lotus.remove(f);
    }
    SessionAnnouncement plain = SessionAnnouncement.decode(lotus);
    assertThat(plain.signature()).isNull();
    assertThat(plain.electionMethod()).isEqualTo(ElectionMethod.LEXICOGRAPHIC);
  }
}
