package org.lotusia.swapsig.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DestinationCipherTest {

  private final SecureRandom random = new SecureRandom();
  private final byte[] aad = "pool|1|a|b".getBytes(StandardCharsets.US_ASCII);

  @Test
  void onlyTheRecipientOpensIt() {
    DestinationCipher.KeyPair bob = DestinationCipher.generate(random);
    DestinationCipher.KeyPair eve = DestinationCipher.generate(random);
    byte[] plain = "salt and destination".getBytes(StandardCharsets.US_ASCII);
    DestinationCipher.Sealed s = DestinationCipher.seal(bob.publicKey(), plain, aad, random);
    assertThat(DestinationCipher.open(bob, s, aad)).isEqualTo(plain);
    assertThat(s.ciphertext()).hasSize(plain.length + DestinationCipher.TAG_BYTES);
    assertThatThrownBy(() -> DestinationCipher.open(eve, s, aad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not authenticate");
  }

  @Test
  void tamperingOrOtherAssociatedDataIsDetected() {
    DestinationCipher.KeyPair bob = DestinationCipher.generate(random);
    DestinationCipher.Sealed s = DestinationCipher.seal(bob.publicKey(), new byte[40], aad, random);
    byte[] ct = s.ciphertext();
    ct[3] ^= 1;
    assertThatThrownBy(() -> DestinationCipher.open(bob, new DestinationCipher.Sealed(s.ephemeralKey(), ct), aad))
        .hasMessageContaining("does not authenticate");
    assertThatThrownBy(() -> DestinationCipher.open(bob, s, "other".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("does not authenticate");
  }

  @Test
  void everySealUsesAFreshEphemeralKey() {
    DestinationCipher.KeyPair bob = DestinationCipher.generate(random);
    DestinationCipher.Sealed a = DestinationCipher.seal(bob.publicKey(), new byte[8], aad, random);
    DestinationCipher.Sealed b = DestinationCipher.seal(bob.publicKey(), new byte[8], aad, random);
    assertThat(a.ephemeralKey()).isNotEqualTo(b.ephemeralKey());
    assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
  }

  @Test
  void lowOrderAndMalformedKeysAreRefused() {
    DestinationCipher.KeyPair bob = DestinationCipher.generate(random);
    assertThatThrownBy(() -> DestinationCipher.seal(new byte[32], new byte[1], aad, random))
        .hasMessageContaining("low-order");
    assertThatThrownBy(() -> DestinationCipher.seal(new byte[31], new byte[1], aad, random))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> DestinationCipher.open(bob, new DestinationCipher.Sealed(new byte[32], new byte[20]), aad))
        .hasMessageContaining("low-order");
    assertThatThrownBy(() -> DestinationCipher.open(bob, new DestinationCipher.Sealed(bob.publicKey(), new byte[3]), aad))
        .hasMessageContaining("shorter than its tag");
  }
}
