package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

/**
 * Randomised attack test: corrupted, truncated, split and random handshake traffic must end in
 * either a pending handshake (more bytes needed) or a {@link ProtocolViolationException}, never in
 * another exception, and never leak a buffer (the leak extension checks the class).
 */
class NoiseMutationTest {

  private static final IdentityPrivateKey ID_A = Keys.generateEd25519();
  private static final IdentityPrivateKey ID_B = Keys.generateEd25519();
  private static final NoiseSecurity A = NoiseSecurity.builder(ID_A).build();
  private static final NoiseSecurity B = NoiseSecurity.builder(ID_B).build();

  @Test
  void mutatedHandshakeMessagesFailCleanly() {
    SplittableRandom rnd = new SplittableRandom(2024);
    int violations = 0;
    for (int i = 0; i < 300; i++) {
      NoiseHandler ha = A.newInitiator(null);
      NoiseHandler hb = B.newResponder();
      EmbeddedChannel a = new EmbeddedChannel(ha);
      EmbeddedChannel b = new EmbeddedChannel(hb);
      int target = rnd.nextInt(3); // which of the three messages to corrupt
      int step = 0;
      boolean moved = true;
      while (moved && a.isOpen() && b.isOpen()) {
        moved = false;
        EmbeddedChannel from = step % 2 == 0 ? a : b;
        EmbeddedChannel to = step % 2 == 0 ? b : a;
        ByteBuf msg = ChannelPair.drainOutbound(from);
        if (msg.isReadable()) {
          moved = true;
          if (step == target) {
            msg = mutate(msg, rnd);
          }
          for (ByteBuf part : split(msg, rnd)) {
            if (to.isOpen()) {
              to.writeInbound(part);
            } else {
              part.release();
            }
          }
        } else {
          msg.release();
        }
        step++;
      }
      violations += outcome(ha.session()) + outcome(hb.session());
      a.finishAndReleaseAll();
      b.finishAndReleaseAll();
    }
    assertThat(violations).as("most mutations are detected as violations").isGreaterThan(150);
  }

  @Test
  void randomBytesNeverCrashAResponder() {
    SplittableRandom rnd = new SplittableRandom(99);
    for (int i = 0; i < 300; i++) {
      NoiseHandler hb = B.newResponder();
      EmbeddedChannel b = new EmbeddedChannel(hb);
      byte[] junk = new byte[rnd.nextInt(300)];
      rnd.nextBytes(junk);
      if (junk.length >= 2 && rnd.nextBoolean()) {
        junk[0] = 0; // plausible length prefixes too
        junk[1] = (byte) Math.min(255, junk.length - 2);
      }
      b.writeInbound(Unpooled.wrappedBuffer(junk));
      outcome(hb.session());
      b.finishAndReleaseAll();
    }
  }

  /** 1 for a violation, 0 for pending or success; anything else fails the test. */
  private static int outcome(CompletableFuture<SecureSession> f) {
    if (!f.isDone()) {
      return 0;
    }
    try {
      f.get();
      return 0;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ProtocolViolationException) {
        return 1;
      }
      if (c instanceof org.lotusia.libp2p.ConnectionClosedException) {
        return 0; // the other side closed after detecting the corruption first
      }
      throw new AssertionError("unexpected failure type", c);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static ByteBuf mutate(ByteBuf msg, SplittableRandom rnd) {
    int len = msg.readableBytes();
    switch (rnd.nextInt(4)) {
      case 0 -> { // flip one bit anywhere, length prefix included
        int at = rnd.nextInt(len);
        msg.setByte(at, msg.getByte(at) ^ (1 << rnd.nextInt(8)));
        return msg;
      }
      case 1 -> { // truncate the body but keep a consistent length prefix
        int keep = rnd.nextInt(Math.max(1, len - 2));
        ByteBuf out = Unpooled.buffer(2 + keep).writeShort(keep).writeBytes(msg, 2, keep);
        msg.release();
        return out;
      }
      case 2 -> { // append junk inside the frame
        int extra = 1 + rnd.nextInt(64);
        byte[] junk = new byte[extra];
        rnd.nextBytes(junk);
        ByteBuf out =
            Unpooled.buffer()
                .writeShort(len - 2 + extra)
                .writeBytes(msg, 2, len - 2)
                .writeBytes(junk);
        msg.release();
        return out;
      }
      default -> { // replace the body with random bytes of the same length
        byte[] junk = new byte[len - 2];
        rnd.nextBytes(junk);
        msg.setBytes(2, junk);
        return msg;
      }
    }
  }

  private static List<ByteBuf> split(ByteBuf msg, SplittableRandom rnd) {
    List<ByteBuf> parts = new ArrayList<>();
    while (msg.readableBytes() > 0) {
      int n = Math.min(msg.readableBytes(), 1 + rnd.nextInt(80));
      parts.add(msg.readRetainedSlice(n));
    }
    msg.release();
    return parts;
  }
}
