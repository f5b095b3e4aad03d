package org.lotusia.libp2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.internal.transport.WsFuzzSupport.Host;
import org.lotusia.libp2p.testing.FuzzSeeds;
import org.lotusia.libp2p.testing.TrackingAllocator;

/**
 * Fuzzes the dialer side of the WebSocket transport with what a listener answers: the input after
 * its first byte (the chunk size) is the byte stream, an HTTP response and then frames. The token
 * {@value #ACCEPT_TOKEN} in the input is replaced by the {@code Sec-WebSocket-Accept} value that
 * matches the key the dialer sent (RFC 6455 section 4.2.2), so the fuzzer gets past the handshake
 * and reaches the frame decoder; seeds are valid answers with unmasked binary, continuation, ping
 * and close frames, and refused or malformed answers.
 *
 * <p>Contract: the upgrade completes only on a 101 answer; the host's handler receives only bytes,
 * exactly the payload of the binary and continuation frames in order (a prefix when the listener
 * broke RFC 6455 or the input ends early), and a failure fired at it closes the connection;
 * nothing escapes the pipeline and every buffer is released.
 */
class WebSocketClientFuzzTest {

  static final String ACCEPT_TOKEN = "{accept}";
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key: *([^\\r]*)\\r\\n");

  @FuzzTest(maxDuration = "30s")
  void listenerBytes(byte[] input) throws Exception {
    if (input.length > 0) {
      run(input);
    }
  }

  /** The committed seeds mean something: a valid exchange upgrades and delivers every payload. */
  @Test
  void aValidSeedUpgradesAndDeliversThePayload() throws Exception {
    byte[] seed = FuzzSeeds.read(WebSocketClientFuzzTest.class, "listenerBytes", "accept-then-frames-aligned");
    assertThat(new String(run(seed), java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("helloabcd" + "y".repeat(300));
  }

  /**
   * Found by fuzzing (kept in the corpus): a 101 answer with the right accept value, then a header
   * line starting with a bare CR and no end of the header block. The close makes the HTTP decoder
   * hand over the answer marked as failed but with its headers, Netty's handshaker accepted it and
   * completed the upgrade on the closed connection, and its deferred removal of the HTTP codec then
   * failed on the torn-down pipeline. The upgrade must fail.
   */
  @Test
  void anAnswerCutOffByTheCloseDoesNotCompleteTheUpgrade() throws Exception {
    TrackingAllocator alloc = new TrackingAllocator();
    EmbeddedChannel ch = WsFuzzSupport.channel(alloc);
    Host host = new Host();
    WebSocketFrameAdapter adapter =
        WsFuzzSupport.TRANSPORT.clientPipeline(
            ch.pipeline(), host, URI.create("ws://192.0.2.1:4001/"), Duration.ofSeconds(30));
    ch.register();
    Matcher m = KEY.matcher(WsFuzzSupport.ascii(WsFuzzSupport.written(ch)));
    assertThat(m.find()).isTrue();
    String answer =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + accept(m.group(1)) + "\r\n\rade: x\r\n";
    WsFuzzSupport.feed(ch, alloc, (" " + answer).getBytes(StandardCharsets.US_ASCII), 1, 4096);
    assertThat(adapter.opened()).isNotDone();
    ch.close();
    ch.runPendingTasks();
    ch.checkException();
    assertThat(adapter.opened()).isCompletedExceptionally();
    assertThat(host.data.size()).isZero();
    WsFuzzSupport.written(ch);
    ch.finishAndReleaseAll();
    assertThat(alloc.leaked()).as("unreleased buffers").isEmpty();
  }

  /** Runs one input through the pipeline, checks the contract, returns what the host received. */
  static byte[] run(byte[] input) throws Exception {
    int chunk = 1 + (input[0] & 0xff) * 3;
    TrackingAllocator alloc = new TrackingAllocator();
    EmbeddedChannel ch = WsFuzzSupport.channel(alloc);
    Host host = new Host();
    WebSocketFrameAdapter adapter =
        WsFuzzSupport.TRANSPORT.clientPipeline(
            ch.pipeline(), host, URI.create("ws://192.0.2.1:4001/"), Duration.ofSeconds(30));
    ch.register();
    String request = WsFuzzSupport.ascii(WsFuzzSupport.written(ch));
    Matcher m = KEY.matcher(request);
    assertThat(m.find()).as("the dialer sends a key: %s", request).isTrue();
    byte[] wire = withAccept(input, accept(m.group(1)));
    try {
      WsFuzzSupport.feed(ch, alloc, wire, 1, chunk);
      check(ch, adapter, host, wire);
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
      EmbeddedChannel ch, WebSocketFrameAdapter adapter, Host host, byte[] wire) {
    if (adapter.opened().isDone() && !adapter.opened().isCompletedExceptionally()) {
      String head = WsFuzzSupport.ascii(wire).substring(1);
      // Netty reads any "<name>/<major>.<minor>" as the version and the status code as a number
      // (so "0101" is 101), and checks only the status and the headers; the Sec-WebSocket-Accept
      // value is what proves the listener read the key.
      assertThat(head).matches("(?s)[\\x00-\\x20\\x7f-\\x9f]*\\S+/\\d+\\.\\d+[ \\t\\x0b\\f\\r]+0*101.*");
      int framesFrom = WsFuzzSupport.headEnd(wire, 1);
      assertThat(framesFrom).isPositive();
      WsFuzzSupport.checkDelivered(
          host.data.toByteArray(),
          WsFuzzSupport.binaryPayload(wire, framesFrom, false),
          ch.isOpen());
    } else {
      assertThat(host.data.size()).as("nothing passes before the upgrade").isZero();
    }
    if (host.failure != null) {
      assertThat(ch.isOpen()).as("a failure closes the connection").isFalse();
    }
  }

  /** The accept value for {@code key}: base64(SHA-1(key + GUID)), RFC 6455 section 4.2.2. */
  static String accept(String key) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] withAccept(byte[] input, String accept) {
    byte[] token = ACCEPT_TOKEN.getBytes(StandardCharsets.US_ASCII);
    byte[] value = accept.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 32);
    for (int i = 0; i < input.length; ) {
      if (i + token.length <= input.length
          && java.util.Arrays.equals(input, i, i + token.length, token, 0, token.length)) {
        out.writeBytes(value);
        i += token.length;
      } else {
        out.write(input[i++]);
      }
    }
    return out.toByteArray();
  }
}
