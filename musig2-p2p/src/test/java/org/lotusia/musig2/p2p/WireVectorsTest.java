package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.musig2.p2p.election.CoordinatorElection;
import org.lotusia.musig2.p2p.election.Election;
import org.lotusia.musig2.p2p.election.ElectionMethod;
import org.lotusia.musig2.p2p.wire.NonceShare;
import org.lotusia.musig2.p2p.wire.SessionMessage;
import org.lotusia.musig2.p2p.wire.SessionMessages;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.P2PMessage;

/** Known answers from lotus-sdk: payload JSON, envelope, session ID, election and failover. */
class WireVectorsTest {

  static final JsonNode V = Vectors.p2p();
  static final HexFormat HEX = HexFormat.of();

  @Test
  void nonceSharePayloadIsWrittenByteForByteAsLotusSdkWritesIt() {
    String expected = V.get("nonceSharePayloadJson").asText();
    NonceShare share =
        new NonceShare(
            "478761f373daf1d6ec0c5461a958bb3c",
            2,
            HEX.parseHex("02fba0f2a64cf4c1318483904c2c09265d7ed7371178ee6ade4466658fd5aeef81"),
            HEX.parseHex("028aef38634593f4ad946998735b592121b431ac4edc4f1a0b5bbed29befec70f6"),
            1700000000123L,
            null);
    assertThat(JsJsonWriter.write(share.toJson())).isEqualTo(expected);
  }

  @Test
  void lotusSdkEnvelopeWithItsPayloadAsAStringDecodes() {
    String envelope = V.get("envelopeJson").asText();
    byte[] bytes = envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    P2PMessage m = MessageJson.parse(bytes, 0, bytes.length);
    assertThat(m.payload().isTextual()).isTrue();
    SessionMessage decoded = SessionMessages.decode(m);
    assertThat(decoded).isInstanceOf(NonceShare.class);
    NonceShare share = (NonceShare) decoded;
    assertThat(share.signerIndex()).isEqualTo(2);
    assertThat(share.timestamp()).isEqualTo(1700000000123L);
    assertThat(share.auth()).isNull();
    // re-encoded as an object, it is the payload string lotus-sdk sent
    assertThat(JsJsonWriter.write(share.toJson())).isEqualTo(m.payload().textValue());
    // and the same payload sent as an object decodes to the same message
    P2PMessage asObject =
        new P2PMessage(m.type(), m.from(), null, share.toJson(), m.timestamp(), m.messageId(), null,
            m.protocol());
    assertThat(SessionMessages.decode(asObject)).isEqualTo(share);
  }

  @Test
  void sessionIdMatchesLotusSdk() {
    JsonNode v = V.get("sessionId");
    String id =
        SessionIds.compute(
            Vectors.hexList(v.get("sortedSigners")),
            HEX.parseHex(v.get("message").asText()),
            v.get("createdAt").asLong(),
            HEX.parseHex(v.get("entropy").asText()));
    assertThat(id).isEqualTo(v.get("sessionId").asText());
    assertThat(SessionIds.isWellFormed(id)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(ElectionMethod.class)
  void electionMatchesLotusSdk(ElectionMethod method) {
    JsonNode v = V.get("election_" + method.wire());
    List<byte[]> input = Vectors.hexList(v.get("inputOrder"));
    Election e = CoordinatorElection.elect(input, method);
    assertThat(e.coordinatorIndex()).isEqualTo(v.get("coordinatorIndex").asInt());
    assertThat(e.proof()).isEqualTo(v.get("electionProof").asText());
    assertThat(e.priority()).isEqualTo(Vectors.ints(v.get("priorityList")));
    // the election is computed from the key set, whatever order it is given in
    List<byte[]> sorted = Vectors.hexList(v.get("sortedSigners"));
    assertThat(CoordinatorElection.elect(sorted, method)).isEqualTo(e);
  }

  @Test
  void backupsMatchLotusSdkIncludingIndexZero() {
    assertThat(CoordinatorElection.backup(3, ElectionMethod.LEXICOGRAPHIC, 0))
        .isEqualTo(V.get("backup_lexicographic_from_0").asInt());
    assertThat(CoordinatorElection.backup(3, ElectionMethod.LEXICOGRAPHIC, 2)).isEqualTo(0);
    assertThat(CoordinatorElection.backup(3, ElectionMethod.HASH_BASED, 2)).isEqualTo(0);
    assertThat(CoordinatorElection.backup(3, ElectionMethod.FIRST_SIGNER, 2)).isEqualTo(-1);
    assertThat(CoordinatorElection.backup(3, ElectionMethod.LAST_SIGNER, 0)).isEqualTo(-1);
    assertThat(CoordinatorElection.backup(3, ElectionMethod.LAST_SIGNER, 2)).isEqualTo(1);
    assertThat(CoordinatorElection.backup(1, ElectionMethod.LEXICOGRAPHIC, 0)).isEqualTo(-1);
  }
}
