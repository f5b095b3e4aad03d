package org.lotusia.chain.address;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.lotusia.chain.encoding.Base58;
import org.lotusia.chain.script.Script;

/**
 * Fuzzes the text decoders of addresses that peers put in their messages: {@link XAddress#decode}
 * and {@link Base58#decode}. The input is the text as UTF-8; seeds are the vector addresses.
 *
 * <p>Contract: both refuse only with an {@link IllegalArgumentException} that says why; a decoded
 * address re-encodes to an address that decodes to the same one, and pays to a script that maps
 * back to it; decoded Base58 re-encodes to the same text.
 */
class AddressFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void addressText(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      XAddress a = XAddress.decode(text);
      assertThat(XAddress.decode(a.encode())).isEqualTo(a);
      Script s = a.toScript();
      assertThat(XAddress.fromScript(s, a.network())).isEqualTo(a);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      byte[] b = Base58.decode(text);
      assertThat(Base58.encode(b)).isEqualTo(text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
