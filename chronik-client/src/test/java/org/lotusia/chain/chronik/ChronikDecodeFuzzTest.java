package org.lotusia.chain.chronik;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.burn.BurnVerifier;
import org.lotusia.chain.burn.LtmsIdentityBurn;
import org.lotusia.chain.burn.SwapSigBurn;
import org.lotusia.chain.chronik.proto.SubscribeMsg;

/**
 * Decoders of remote input never throw anything but {@link ChronikProtocolException}: the Chronik
 * message converters, and the burn script parsers (which never throw). The {@link FuzzTest} runs
 * under Jazzer with {@code JAZZER_FUZZ=1}; the seeded test mutates valid messages in every build.
 */
class ChronikDecodeFuzzTest {

  static final String TXID = "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504";

  static void decodeAll(byte[] data) {
    try {
      ProtoConverter.tx(
          ProtoConverter.parse("Tx", data, org.lotusia.chain.chronik.proto.Tx::parseFrom));
    } catch (ChronikProtocolException expected) {
      // rejected as malformed
    }
    try {
      ProtoConverter.block(
          ProtoConverter.parse("Block", data, org.lotusia.chain.chronik.proto.Block::parseFrom));
    } catch (ChronikProtocolException expected) {
      // rejected as malformed
    }
    try {
      ProtoConverter.event(ProtoConverter.parse("SubscribeMsg", data, SubscribeMsg::parseFrom));
    } catch (ChronikProtocolException expected) {
      // rejected as malformed
    }
    SwapSigBurn.parse(data);
    LtmsIdentityBurn.parse(data);
    BurnVerifier.hasLokadPrefix(data, new byte[] {0x4c, 0x54, 0x4d, 0x53});
    BurnVerifier.parsePublicKeyFromLokad(data);
  }

  @FuzzTest(maxDuration = "30s")
  void fuzzDecoders(byte[] data) {
    decodeAll(data);
  }

  @Test
  void mutatedValidMessagesNeverEscapeAsOtherExceptions() {
    byte[][] seeds = {
      ChronikFixtures.tx(
              TXID,
              5,
              1000,
              "6a044c544d530101"
                  + "21"
                  + "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa")
          .toByteArray(),
      SubscribeMsg.newBuilder()
          .setConfirmed(
              org.lotusia.chain.chronik.proto.MsgConfirmed.newBuilder()
                  .setTxid(ChronikFixtures.wire(TXID)))
          .build()
          .toByteArray(),
      SwapSigBurn.script("a1".repeat(32)),
    };
    Random rnd = new Random(42);
    int decodedTx = 0;
    for (int i = 0; i < 5_000; i++) {
      byte[] d = seeds[i % seeds.length].clone();
      int flips = 1 + rnd.nextInt(4);
      for (int k = 0; k < flips && d.length > 0; k++) {
        d[rnd.nextInt(d.length)] = (byte) rnd.nextInt(256);
      }
      if (rnd.nextInt(8) == 0 && d.length > 1) {
        d = java.util.Arrays.copyOf(d, rnd.nextInt(d.length));
      }
      decodeAll(d);
      try {
        ProtoConverter.tx(
            ProtoConverter.parse("Tx", d, org.lotusia.chain.chronik.proto.Tx::parseFrom));
        decodedTx++;
      } catch (ChronikProtocolException expected) {
        // counted below
      }
    }
    // both outcomes happen, so the mutations reach past the parser
    assertThat(decodedTx).isBetween(1, 4_999);
  }
}
