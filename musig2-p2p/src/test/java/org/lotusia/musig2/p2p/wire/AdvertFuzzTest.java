package org.lotusia.musig2.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lotusia.musig2.p2p.discovery.SignerAdvertisement;
import org.lotusia.musig2.p2p.discovery.SigningRequest;

/**
 * Fuzzes the decoders of the MuSig2 discovery messages a peer publishes: signer advertisements
 * and signing requests (the input is the message body, read as both). {@code mvn test} runs the
 * committed seeds; the fuzzing pass fuzzes it. Contract: only {@link MalformedMessageException}
 * escapes, whatever decodes re-encodes to a fixed point, and its signed digest can be computed.
 */
class AdvertFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void fuzzAdverts(byte[] input) {
    ObjectNode o;
    try {
      o = WireJson.parseObject(input, 16_384, "advert");
    } catch (MalformedMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    try {
      SignerAdvertisement s = SignerAdvertisement.decode(o);
      assertThat(SignerAdvertisement.decode(s.toJson()).toJson()).isEqualTo(s.toJson());
      s.signedDigest();
    } catch (MalformedMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      SigningRequest r = SigningRequest.decode(o);
      assertThat(SigningRequest.decode(r.toJson()).toJson()).isEqualTo(r.toJson());
      r.signedDigest();
    } catch (MalformedMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
