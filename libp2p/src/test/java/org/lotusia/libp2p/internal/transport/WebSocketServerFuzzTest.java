package org.lotusia.libp2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.internal.transport.WsFuzzSupport.Host;
import org.lotusia.libp2p.testing.FuzzSeeds;
import org.lotusia.libp2p.testing.TrackingAllocator;

/**
 * Fuzzes the listener side of the WebSocket transport with what a dialer sends: the input after
 * its first byte (the chunk size) is the byte stream, an HTTP upgrade request and then frames
 * (seeds are valid upgrades with masked binary, continuation, ping and close frames, and refused
 * requests). It runs through the transport's own pipeline: HTTP decoder with size limits, upgrade
 * guard, Netty's handshaker with the frame limit, frame adapter, and the host's handler.
 *
 * <p>Contract: the upgrade completes only for a GET with {@code Upgrade: websocket}, answered with
 * 101; the host's handler receives only bytes, exactly the unmasked payload of the binary and
 * continuation frames in order (a prefix when the dialer broke RFC 6455 or the input ends early),
 * and a failure fired at it closes the connection; nothing escapes the pipeline and every buffer is
 * released.
 */
class WebSocketServerFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void dialerBytes(byte[] input) throws Exception {
    if (input.length > 0) {
      run(input);
    }
  }

  /** The committed seeds mean something: a valid exchange upgrades and delivers every payload. */
  @Test
  void aValidSeedUpgradesAndDeliversThePayload() throws Exception {
    byte[] seed = FuzzSeeds.read(WebSocketServerFuzzTest.class, "dialerBytes", "upgrade-then-frames-aligned");
    assertThat(new String(run(seed), java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("helloabcd" + "x".repeat(200));
  }

  /** Runs one input through the pipeline, checks the contract, returns what the host received. */
  static byte[] run(byte[] input) throws Exception {
    int chunk = 1 + (input[0] & 0xff) * 3;
    TrackingAllocator alloc = new TrackingAllocator();
    EmbeddedChannel ch = WsFuzzSupport.channel(alloc);
    Host host = new Host();
    WebSocketFrameAdapter adapter = WsFuzzSupport.TRANSPORT.serverPipeline(ch.pipeline(), host);
    ch.register();
    try {
      WsFuzzSupport.feed(ch, alloc, input, 1, chunk);
      check(ch, adapter, host, input, chunk);
    } finally {
      // released even when a check failed, so that the finding is reported alone, not as a leak
      WsFuzzSupport.written(ch);
      ch.finishAndReleaseAll();
    }
    assertThat(adapter.opened()).isDone();
    assertThat(alloc.leaked()).as("unreleased buffers").isEmpty();
    return host.data.toByteArray();
  }

  private static void check(
      EmbeddedChannel ch, WebSocketFrameAdapter adapter, Host host, byte[] input, int chunk) {
    String answer = WsFuzzSupport.ascii(WsFuzzSupport.written(ch));
    if (adapter.opened().isDone() && !adapter.opened().isCompletedExceptionally()) {
      assertThat(answer).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
      String request = WsFuzzSupport.ascii(input).substring(1);
      // RFC 9112 section 3: a recipient may take any whitespace (SP, HTAB, VT, FF, bare CR) as the
      // request line's separator; Netty does, and skips control characters before the line.
      assertThat(request).matches("(?s)[\\x00-\\x20\\x7f-\\x9f]*GET[ \\t\\x0b\\f\\r]+.*");
      assertThat(request.toLowerCase(java.util.Locale.ROOT)).contains("upgrade:");
      int framesFrom = WsFuzzSupport.headEnd(input, 1);
      assertThat(framesFrom).isPositive();
      // RFC 6455 section 4.1: a client sends no frame before the 101 arrives; frames that came in
      // the same read as the request are a broken client, so only a prefix is owed then.
      boolean framesReadSeparately = (framesFrom - 1) % chunk == 0;
      WsFuzzSupport.checkDelivered(
          host.data.toByteArray(),
          WsFuzzSupport.binaryPayload(input, framesFrom, true),
          ch.isOpen() && framesReadSeparately);
    } else {
      assertThat(host.data.size()).as("nothing passes before the upgrade").isZero();
    }
    if (host.failure != null) {
      assertThat(ch.isOpen()).as("a failure closes the connection").isFalse();
    }
  }
}
