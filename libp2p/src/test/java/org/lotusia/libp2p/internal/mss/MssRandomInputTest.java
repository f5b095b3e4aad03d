package org.lotusia.libp2p.internal.mss;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded random input (random bytes, and valid messages with random corruption) never makes either
 * role throw or leak; the negotiation always ends selected, failed, or still waiting for more
 * input.
 */
class MssRandomInputTest {

  @Test
  void randomInputToBothRoles() {
    String[] words = {MultistreamSelect.HEADER, "na", "ls", "/a/1", "/b/1", "", "\u00e9x"};
    for (int seed = 0; seed < 1500; seed++) {
      Random rnd = new Random(seed);
      MssConfig config = MssConfig.DEFAULT.withMaxMessageLength(64).withMaxRounds(4);
      MultistreamSelect mss =
          rnd.nextBoolean()
              ? MultistreamSelect.initiator(List.of("/a/1", "/b/1"), (p, pl) -> {}, config)
              : MultistreamSelect.responder(Set.of("/b/1"), (p, pl) -> {}, config);
      EmbeddedChannel ch = new EmbeddedChannel(mss);
      ByteBuf input = Unpooled.buffer();
      int parts = 1 + rnd.nextInt(8);
      for (int i = 0; i < parts; i++) {
        if (rnd.nextInt(4) == 0) {
          byte[] junk = new byte[rnd.nextInt(80)];
          rnd.nextBytes(junk);
          input.writeBytes(junk);
        } else {
          MssCodec.writeMessage(input, words[rnd.nextInt(words.length)]);
        }
      }
      if (rnd.nextBoolean() && input.isReadable()) {
        int at = rnd.nextInt(input.readableBytes());
        input.setByte(at, rnd.nextInt(256));
      }
      while (input.isReadable() && ch.isOpen()) {
        int n = 1 + rnd.nextInt(input.readableBytes());
        ch.writeInbound(input.readRetainedSlice(n));
      }
      input.release();
      assertThat(mss.selected().isDone() || ch.isOpen()).as("seed %d", seed).isTrue();
      ch.finishAndReleaseAll();
      assertThat(mss.selected()).as("seed %d", seed).isDone();
    }
  }
}
