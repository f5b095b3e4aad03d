package org.lotusia.swapsig.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the payload decoders of the pool messages a peer sends directly (registration with its
 * ownership proof, registration ack, roster, setup submission, setup complete, encrypted
 * destination reveal, settlement broadcast, abort, participant dropped). The first byte of the
 * input picks the message type (below {@link #TYPES}' size: that type; otherwise the type is the
 * text up to the first newline), the rest is the payload JSON. Seeds are messages signed by their
 * encoders.
 *
 * <p>Contract: {@link PoolMessages#decode} refuses only with a {@link MalformedSwapSigMessageException}
 * that says why; a decoded message has the requested type, encodes to a payload that decodes equal,
 * its signed digest can be computed and checking its signature never throws.
 */
class PoolMessageFuzzTest {

  /** The message types in a fixed order; the first input byte indexes it. */
  static final List<String> TYPES = SwapSigMessageTypes.ALL.stream().sorted().toList();

  @FuzzTest(maxDuration = "30s")
  void payloadJson(byte[] input) {
    check(input);
  }

  /** Checks one input; returns the decoded message or null. */
  static PoolMessage check(byte[] input) {
    if (input.length == 0) {
      return null;
    }
    int pick = input[0] & 0xff;
    String type;
    byte[] body;
    if (pick < TYPES.size()) {
      type = TYPES.get(pick);
      body = Arrays.copyOfRange(input, 1, input.length);
    } else {
      int nl = 1;
      while (nl < input.length && input[nl] != '\n') {
        nl++;
      }
      type = new String(input, 1, nl - 1, StandardCharsets.UTF_8);
      body = Arrays.copyOfRange(input, Math.min(nl + 1, input.length), input.length);
    }
    JsonNode payload;
    try {
      payload = CanonicalJson.MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
    PoolMessage m;
    try {
      m = PoolMessages.decode(type, payload);
    } catch (MalformedSwapSigMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
      return null;
    }
    assertThat(m.type()).isEqualTo(type);
    assertThat(PoolMessages.decode(type, m.toJson())).as("decode(encode(m))").isEqualTo(m);
    assertThat(Signing.digest(type, m.toJson())).hasSize(32);
    assertThat(m.signature()).hasSize(128);
    if (m instanceof DestinationReveal d) {
      assertThat(d.associatedData()).hasSize(4 + 64 + 4 + 66);
    }
    if (m instanceof ParticipantRegistration r) {
      assertThat(r.input().index()).isEqualTo(r.inputIndex());
    }
    // a key that is not on the curve, and the message's own key: a verdict, never an exception
    m.verify("02" + "00".repeat(32));
    m.verify(signerKey(m));
    return m;
  }

  private static String signerKey(PoolMessage m) {
    if (m instanceof ParticipantRegistration r) {
      return r.publicKey();
    }
    if (m instanceof RegistrationAck a) {
      return a.publicKey();
    }
    if (m instanceof SetupSubmission s) {
      return s.publicKey();
    }
    if (m instanceof DestinationReveal d) {
      return d.publicKey();
    }
    if (m instanceof SettlementBroadcast b) {
      return b.publicKey();
    }
    if (m instanceof PoolAbort a) {
      return a.publicKey();
    }
    if (m instanceof ParticipantDropped d) {
      return d.publicKey();
    }
    return "03" + "11".repeat(32);
  }
}
