package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.musig2.p2p.wire.MessageType;

/**
 * A 2-of-2 session between a Java coordinator and a js-libp2p peer (libp2p/src/test/js/musig2.mjs)
 * that speaks lotus-sdk's MuSig2 messages with the SDK's authentication added, and computes its
 * nonces and partial signature with lotus-sdk's MuSig2 from npm (xpi-ts). The js peer dials its
 * join on {@code /lotus/musig2/1.0.0} with the payload as a JSON string, as lotus-sdk does, and
 * everything else on {@code /lotus/message/1.0.0}. Both sides end with the same signature, which
 * Lotus Schnorr verification accepts; each side verifies the other's partial signature.
 */
class JsSignerInteropTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final Duration WAIT = NetCluster.WAIT;

  private JsPeer js;
  private NetCluster cluster;

  @BeforeEach
  void start() {
    JsInterop.requireJsPeer();
    js = new JsPeer("musig2", "--lotus");
    js.awaitReady(WAIT);
    cluster = new NetCluster(1, 808, SessionConfig.defaults()).manualJoin();
    NetCluster.join(cluster.nodes.get(0).connectToPeer(js.addr()));
    cluster.bindAll();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (js != null) {
      js.close();
    }
  }

  /** A key for the js peer that sorts before (jsFirst) or after the Java key. */
  static PrivateKey jsKey(byte[] javaKey, boolean jsFirst) {
    for (int i = 1; ; i++) {
      PrivateKey k = PrivateKey.of(BigInteger.valueOf(1_000_003L * i + 7));
      boolean before = Arrays.compareUnsigned(k.publicKeyBytes(), javaKey) < 0;
      if (before == jsFirst) {
        return k;
      }
    }
  }

  @ParameterizedTest(name = "js signer first in key order: {0}")
  @ValueSource(booleans = {true, false})
  void aJavaAndAJsSignerProduceOneValidSignature(boolean jsFirst) throws Exception {
    sign(jsFirst, h -> { });
  }

  /**
   * Each message travels on a stream of its own, so the creator's nonce may reach the joiner before
   * the participant list that names the creator's peer (docs/MUSIG2.md, "Phases and ordering"); a
   * signer holds it until the list arrives. Here the list leaves only once the js signer has
   * received the nonce, which is the order a loaded machine produces now and then.
   */
  @ParameterizedTest(name = "js signer first in key order: {0}")
  @ValueSource(booleans = {true, false})
  void aNonceThatOvertakesTheParticipantListIsHeldByTheJsSigner(boolean jsFirst) throws Exception {
    CompletableFuture<Void> gate = cluster.shaped.get(0).hold(MessageType.SESSION_PARTICIPANTS);
    sign(jsFirst, h -> {
      js.awaitEvent(e -> "lotus-message".equals(e.path("event").asText())
          && MessageType.NONCE_SHARE.wire().equals(e.path("message").path("type").asText())
          && h.sessionId().equals(e.path("message").path("payload").path("sessionId").asText()),
          WAIT);
      gate.complete(null);
    });
  }

  /** Runs one 2-of-2 session; {@code afterJoin} runs once the js signer has sent its join. */
  private void sign(boolean jsFirst, Consumer<SessionHandle> afterJoin) throws Exception {
    byte[] javaKey = cluster.publicKeys.get(0);
    PrivateKey jsKey = jsKey(javaKey, jsFirst);
    List<byte[]> keys = new ArrayList<>(List.of(javaKey, jsKey.publicKeyBytes()));

    // lotus-sdk's key aggregation (xpi-ts) and the SDK's agree
    JsonNode agg = js.cmd("musig2-keyagg",
        Map.of("publicKeys", keys.stream().map(HEX::formatHex).toList()));
    byte[] aggregate = TransactionSigning.aggregateKey(keys);
    assertThat(agg.path("aggregateKey").asText()).isEqualTo(HEX.formatHex(aggregate));

    byte[] msg = NetworkSessionsTest.message("java and js " + jsFirst);
    SessionHandle h = NetCluster.join(
        cluster.sessions.get(0).create(keys, msg, SessionOptions.defaults()));
    JsonNode joined = js.cmd("musig2-join", Map.of(
        "announcement", JSON.readTree(h.announcement().toJson().toString()),
        "privateKey", HEX.formatHex(jsKey.toBytes())));
    assertThat(joined.path("signerIndex").asInt()).isEqualTo(jsFirst ? 0 : 1);
    afterJoin.accept(h);

    SessionResult r;
    try {
      r = NetCluster.join(h.result());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; js signer reported " + jsErrors(), e);
    }
    assertThat(LotusSchnorr.verify(r.signature(), aggregate, msg)).isTrue();
    JsonNode jsSignature = js.awaitEvent(
        e -> "musig2-signature".equals(e.path("event").asText())
            && h.sessionId().equals(e.path("sessionId").asText()), WAIT);
    assertThat(jsSignature.path("signature").asText()).isEqualTo(HEX.formatHex(r.signature()));
    if (jsFirst) {
      // the js signer was elected and finalised: its SESSION_COMPLETE completed the Java side
      assertThat(r.broadcasterIndex()).isZero();
    } else {
      JsonNode complete = js.awaitEvent(
          e -> "musig2-complete".equals(e.path("event").asText()), WAIT);
      assertThat(complete.path("signature").asText()).isEqualTo(HEX.formatHex(r.signature()));
      assertThat(complete.path("from").asText()).isEqualTo(cluster.nodes.get(0).peerId());
    }
    assertThat(cluster.sessions.get(0).manager().metrics().violations()).isZero();
    assertThat(jsErrors()).as("errors of the js signer").isEmpty();
  }

  /** The js signer's error events: messages it refused or could not process. */
  private List<JsonNode> jsErrors() {
    return js.events().stream()
        .filter(e -> "musig2-error".equals(e.path("event").asText()))
        .toList();
  }
}
