package org.lotusia.chain.chronik;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.time.Duration;
import java.util.HexFormat;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.lotusia.chain.chronik.proto.BlockMetadata;
import org.lotusia.chain.chronik.proto.BlockchainInfo;
import org.lotusia.chain.chronik.proto.Tx;
import org.lotusia.chain.chronik.proto.TxOutput;

/** Builders of Chronik protobuf bodies for tests. */
public final class ChronikFixtures {

  public static final HexFormat HEX = HexFormat.of();

  private ChronikFixtures() {}

  /** Wire (little-endian) bytes of a display txid. */
  public static ByteString wire(String displayHex) {
    return ByteString.copyFrom(ReversedHex.toWireBytes(displayHex));
  }

  /** A 200 reply with a protobuf body. */
  public static MockResponse ok(MessageLite msg) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/x-protobuf")
        .setBody(new Buffer().write(msg.toByteArray()));
  }

  /** A Chronik error reply. */
  public static MockResponse error(int status, String code, String msg, boolean user) {
    return new MockResponse()
        .setResponseCode(status)
        .setBody(
            new Buffer()
                .write(
                    org.lotusia.chain.chronik.proto.Error.newBuilder()
                        .setErrorCode(code)
                        .setMsg(msg)
                        .setIsUserError(user)
                        .build()
                        .toByteArray()));
  }

  /** A Tx message; {@code height < 0} means unconfirmed. */
  public static Tx tx(String txid, int height, long value, String scriptHex) {
    Tx.Builder b =
        Tx.newBuilder()
            .setTxid(wire(txid))
            .setVersion(2)
            .setSize(200)
            .setNetwork(org.lotusia.chain.chronik.proto.Network.XPI)
            .addOutputs(
                TxOutput.newBuilder()
                    .setValue(value)
                    .setOutputScript(ByteString.copyFrom(HEX.parseHex(scriptHex))));
    if (height >= 0) {
      b.setBlock(
          BlockMetadata.newBuilder()
              .setHeight(height)
              .setHash(wire("00".repeat(31) + "aa"))
              .setTimestamp(1_700_000_000L));
    }
    return b.build();
  }

  /** A BlockchainInfo message. */
  public static BlockchainInfo tip(int height) {
    return BlockchainInfo.newBuilder()
        .setTipHash(wire("00".repeat(31) + "bb"))
        .setTipHeight(height)
        .build();
  }

  /** Config for tests: short timeouts and backoff. */
  public static ChronikClientConfig.Builder fastConfig(String... urls) {
    ChronikClientConfig.Builder b =
        ChronikClientConfig.builder()
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(2))
            .callTimeout(Duration.ofSeconds(5))
            .initialBackoff(Duration.ofMillis(10))
            .maxBackoff(Duration.ofMillis(50))
            .maxRetries(2);
    for (String u : urls) {
      b.url(u);
    }
    return b;
  }

  /** Base URL of a mock server without the trailing slash. */
  public static String base(okhttp3.mockwebserver.MockWebServer server) {
    String s = server.url("/").toString();
    return s.substring(0, s.length() - 1);
  }
}
