package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.EcPoint;

/**
 * Fuzzes a discovery advertisement as a peer publishes it on its GossipSub topic or stores it in
 * the DHT: the input is the transport JSON; seeds are advertisements signed as lotus-sdk signs
 * them, with and without optional members.
 *
 * <p>Contract: {@link AdvertisementJson#read} refuses only with an {@link IllegalArgumentException}
 * that says why; a read advertisement writes back to JSON that reads equal, and that JSON is a
 * fixed point; {@link AdvertisementSigner#verify} never throws; the security validator (a fresh
 * one, its clock at the seeds' creation time) returns a verdict for it from every source, and
 * accepts it only when its signature verifies.
 */
class AdvertisementFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void transportJson(byte[] input) {
    check(input);
  }

  /** The seeds mean something: a signed seed reads, verifies and is accepted. */
  @Test
  void theSignedSeedIsAccepted() throws IOException {
    byte[] seed;
    try (InputStream in =
        AdvertisementFuzzTest.class.getResourceAsStream(
            "AdvertisementFuzzTestInputs/transportJson/signed")) {
      seed = in.readAllBytes();
    }
    assertThat(check(seed)).isTrue();
  }

  /** Checks one input; returns whether the validator accepted it from GossipSub. */
  static boolean check(byte[] input) {
    DiscoveryAdvertisement ad;
    try {
      ad = AdvertisementJson.read(input, AdvertisementLimits.DEFAULT);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return false;
    }
    byte[] written = AdvertisementJson.write(ad);
    DiscoveryAdvertisement again = AdvertisementJson.read(written, AdvertisementLimits.DEFAULT);
    assertThat(again).as("read(write(ad))").isEqualTo(ad);
    assertThat(AdvertisementJson.write(again)).as("written JSON is a fixed point").isEqualTo(written);
    assertThat(AdvertisementJson.fromTree(AdvertisementJson.toTree(ad), AdvertisementLimits.DEFAULT))
        .isEqualTo(ad);

    Optional<EcPoint> signer = AdvertisementSigner.verify(ad);
    DiscoverySecurityValidator validator =
        new DiscoverySecurityValidator(DiscoverySecurityPolicy.DEFAULT, new MutableClock(TestAds.T0));
    String author = ad.peerInfo().peerId();
    boolean accepted = false;
    for (AdvertisementSource source : AdvertisementSource.values()) {
      ValidationVerdict v = validator.validate(ad, source, author);
      assertThat(v).isNotNull();
      if (v.accepted()) {
        assertThat(signer).as("accepted only with a valid signature").isPresent();
        accepted |= source == AdvertisementSource.GOSSIPSUB;
      } else {
        assertThat(v.detail()).isNotBlank();
      }
    }
    validator.validate(ad, AdvertisementSource.DIRECT, null);
    return accepted;
  }
}
