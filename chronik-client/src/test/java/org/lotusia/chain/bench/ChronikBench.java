package org.lotusia.chain.bench;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikClientConfig;
import org.lotusia.chain.chronik.ReversedHex;
import org.lotusia.chain.chronik.proto.BlockMetadata;
import org.lotusia.chain.chronik.proto.BlockchainInfo;
import org.lotusia.chain.chronik.proto.Tx;
import org.lotusia.chain.chronik.proto.TxOutput;

/**
 * Chronik client throughput against a loopback MockWebServer: sequential and 32-way concurrent
 * {@code /blockchain-info}, and {@code /tx} of a 100-output transaction (HTTP plus protobuf decode
 * plus conversion). Prints requests per second, best of several rounds after a warm-up.
 *
 * <p>Run: {@code java -cp <test classpath> org.lotusia.chain.bench.ChronikBench
 * [seconds-per-round]}
 */
public final class ChronikBench {

  private ChronikBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
    String txid = "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504";
    Tx.Builder tx =
        Tx.newBuilder()
            .setTxid(ByteString.copyFrom(ReversedHex.toWireBytes(txid)))
            .setVersion(2)
            .setBlock(
                BlockMetadata.newBuilder()
                    .setHeight(100)
                    .setHash(ByteString.copyFrom(new byte[32])));
    byte[] script = HexFormat.of().parseHex("76a914fc7250a211deddc70ee5a2738de5f07817351cef88ac");
    for (int i = 0; i < 100; i++) {
      tx.addOutputs(
          TxOutput.newBuilder().setValue(1000 + i).setOutputScript(ByteString.copyFrom(script)));
    }
    byte[] txBody = tx.build().toByteArray();
    byte[] tipBody =
        BlockchainInfo.newBuilder()
            .setTipHash(ByteString.copyFrom(new byte[32]))
            .setTipHeight(1000)
            .build()
            .toByteArray();
    try (MockWebServer server = new MockWebServer()) {
      // MockWebServer writes headers and body separately; without TCP_NODELAY every response
      // waits ~40 ms for a delayed ACK, which would measure the kernel, not the client.
      server.setServerSocketFactory(
          new javax.net.ServerSocketFactory() {
            @Override
            public java.net.ServerSocket createServerSocket() throws java.io.IOException {
              return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws java.io.IOException {
                  java.net.Socket s = super.accept();
                  s.setTcpNoDelay(true);
                  return s;
                }
              };
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port) {
              throw new UnsupportedOperationException();
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port, int backlog) {
              throw new UnsupportedOperationException();
            }

            @Override
            public java.net.ServerSocket createServerSocket(
                int port, int backlog, java.net.InetAddress address) {
              throw new UnsupportedOperationException();
            }
          });
      java.util.logging.Logger.getLogger(MockWebServer.class.getName())
          .setLevel(java.util.logging.Level.WARNING);
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              byte[] body = r.getPath().startsWith("/tx/") ? txBody : tipBody;
              return new MockResponse().setBody(new Buffer().write(body));
            }
          });
      server.start();
      String url = server.url("/").toString();
      ChronikClientConfig cfg =
          ChronikClientConfig.builder().url(url.substring(0, url.length() - 1)).build();
      try (ChronikClient client = ChronikClient.builder().config(cfg).build()) {
        System.out.printf(
            "tx body %d bytes, JDK %s, %d CPUs%n",
            txBody.length,
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors());
        report("blockchain-info sequential", seconds, 1, client::blockchainInfo);
        report("blockchain-info 32 in flight", seconds, 32, client::blockchainInfo);
        report("tx (100 outputs) 32 in flight", seconds, 32, () -> client.tx(txid));
      }
    }
  }

  private static void report(
      String name, double seconds, int parallel, Supplier<CompletableFuture<?>> op)
      throws Exception {
    run(seconds / 2, parallel, op);
    double best = 0;
    for (int round = 0; round < 3; round++) {
      best = Math.max(best, run(seconds, parallel, op));
    }
    System.out.printf("%-34s %10.0f req/s%n", name, best);
  }

  private static double run(double seconds, int parallel, Supplier<CompletableFuture<?>> op)
      throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long done = 0;
    while (System.nanoTime() < end) {
      List<CompletableFuture<?>> batch = new ArrayList<>(parallel);
      for (int i = 0; i < parallel; i++) {
        batch.add(op.get());
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      done += parallel;
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }
}
