package org.lotusia.libp2p.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.multiformats.Varint;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.libp2p.protocol.pubsub.GossipSubConfig;
import org.lotusia.libp2p.protocol.pubsub.GossipSubStats;
import org.lotusia.libp2p.stack.Transports;

/**
 * One node's throughput: how many messages per second a Java GossipSub node verifies and forwards.
 * Feeder hosts write pre-signed messages (StrictSign, Ed25519 authors) to the node over plain
 * {@code /meshsub/1.1.0} streams; receiver hosts graft the node and count what it forwards. Feeders
 * and receivers do no pubsub work of their own (no signing, verification or routing), so the CPU
 * they take is the transport's. The feeders keep a window of messages outstanding at the node, so
 * it runs at capacity without its inbound budget dropping anything. Every host is in this JVM, on
 * the in-memory transport with Noise and Yamux.
 */
public final class GossipThroughput {

  /** The size of a run. */
  public record Params(
      int messages,
      int messageBytes,
      int feeders,
      int receivers,
      int window,
      GossipSubConfig node) {}

  /** What a run measured. */
  public record Result(
      int messages,
      double seconds,
      double validatedPerSecond,
      long forwardedCopies,
      long minReceived,
      GossipSubStats node) {

    /** One line per figure. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%d messages verified, delivered and forwarded in %.2f s: %.0f messages/s%n"
              + "copies forwarded %d (%.0f/s); fewest received by one receiver %d%n"
              + "dropped inbound %d, unvalidated %d, outbound %d%n",
          messages,
          seconds,
          validatedPerSecond,
          forwardedCopies,
          forwardedCopies / seconds,
          minReceived,
          node.droppedInboundRpcs(),
          node.validationDropped(),
          node.droppedOutboundRpcs());
    }
  }

  private static final String TOPIC = "lotus/throughput";
  private static final String PROTOCOL = "/meshsub/1.1.0";

  private GossipThroughput() {}

  /** Builds the hosts, runs the load, tears everything down. */
  public static Result run(Params p) throws Exception {
    List<Host> hosts = new ArrayList<>();
    GossipSub node = null;
    try {
      Host x = host(hosts);
      node = new GossipSub(x, p.node());
      node.start().orTimeout(30, TimeUnit.SECONDS).join();
      node.subscribe(TOPIC, m -> {}).orTimeout(30, TimeUnit.SECONDS).join();
      List<AtomicLong> received = new ArrayList<>();
      for (int i = 0; i < p.receivers(); i++) {
        AtomicLong count = new AtomicLong();
        received.add(count);
        Host r = host(hosts);
        r.setStreamHandler(PROTOCOL, s -> s.setReader(new Counter(count)));
        join(r.dial(x.listenAddresses().get(0)));
        Stream s = join(r.newStream(x.peerId(), List.of(PROTOCOL)));
        RPC join =
            RPC.newBuilder()
                .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC))
                .setControl(
                    ControlMessage.newBuilder()
                        .addGraft(ControlGraft.newBuilder().setTopicID(TOPIC)))
                .build();
        join(s.write(frame(join)));
      }
      List<Stream> feeds = new ArrayList<>();
      for (int i = 0; i < p.feeders(); i++) {
        Host f = host(hosts);
        f.setStreamHandler(PROTOCOL, s -> s.setReader((st, chunk) -> {}));
        join(f.dial(x.listenAddresses().get(0)));
        feeds.add(join(f.newStream(x.peerId(), List.of(PROTOCOL))));
      }
      GossipSub n = node;
      awaitUntil(() -> n.meshPeers(TOPIC).join().size() >= Math.min(p.receivers(), 6));
      List<byte[]> frames = presign(p);
      long base = node.stats().delivered();
      long start = System.nanoTime();
      int next = 0;
      while (next < frames.size()) {
        if (next - (node.stats().delivered() - base) < p.window()) {
          join(feeds.get(next % feeds.size()).write(frames.get(next)));
          next++;
        } else {
          Thread.onSpinWait();
        }
      }
      awaitUntil(() -> n.stats().delivered() - base >= p.messages());
      double seconds = (System.nanoTime() - start) / 1e9;
      GossipSub forwarder = node;
      awaitUntil(
          () ->
              received.stream().allMatch(c -> c.get() >= p.messages())
                  || forwarder.stats().droppedOutboundRpcs() > 0,
          Duration.ofSeconds(120));
      long copies = received.stream().mapToLong(AtomicLong::get).sum();
      long min = received.stream().mapToLong(AtomicLong::get).min().orElse(0);
      return new Result(p.messages(), seconds, p.messages() / seconds, copies, min, node.stats());
    } finally {
      if (node != null) {
        node.close();
      }
      for (Host h : hosts) {
        h.closeAsync().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
    }
  }

  private static Host host(List<Host> hosts) {
    Host h =
        new HostBuilder().transports(Transports.memory()).listen("/ip4/127.0.0.1/tcp/0").build();
    join(h.start());
    hosts.add(h);
    return h;
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(60, TimeUnit.SECONDS).join();
  }

  private static void awaitUntil(java.util.function.BooleanSupplier done) throws Exception {
    awaitUntil(done, Duration.ofSeconds(120));
  }

  private static void awaitUntil(java.util.function.BooleanSupplier done, Duration max)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new java.util.concurrent.TimeoutException("not done within " + max);
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  /** One RPC frame per message, signed by a few authors, each with its own seqno. */
  private static List<byte[]> presign(Params p) {
    List<IdentityPrivateKey> authors = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      authors.add(Keys.generateEd25519());
    }
    List<byte[]> frames = new ArrayList<>(p.messages());
    byte[] data = new byte[p.messageBytes()];
    for (int i = 0; i < p.messages(); i++) {
      IdentityPrivateKey k = authors.get(i % authors.size());
      PeerId from = PeerId.fromPublicKey(k.publicKey());
      data[0] = (byte) i;
      Message unsigned =
          Message.newBuilder()
              .setFrom(ByteString.copyFrom(from.toBytes()))
              .setData(ByteString.copyFrom(data))
              .setSeqno(ByteString.copyFrom(seqno(i + 1L)))
              .setTopic(TOPIC)
              .build();
      Message m = unsigned.toBuilder().setSignature(ByteString.copyFrom(sign(k, unsigned))).build();
      frames.add(frame(RPC.newBuilder().addPublish(m).build()));
    }
    return frames;
  }

  private static byte[] sign(IdentityPrivateKey k, Message m) {
    byte[] prefix = "libp2p-pubsub:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] body = m.toByteArray();
    byte[] all = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(body, 0, all, prefix.length, body.length);
    return k.sign(all);
  }

  private static byte[] seqno(long v) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }

  private static byte[] frame(RPC rpc) {
    byte[] body = rpc.toByteArray();
    byte[] prefix = Varint.encode(body.length);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  /** Counts the messages in the RPCs a receiver gets. */
  private static final class Counter implements StreamReader {
    private final AtomicLong count;
    private byte[] pending = new byte[0];

    Counter(AtomicLong count) {
      this.count = count;
    }

    @Override
    public void onData(Stream stream, byte[] chunk) {
      byte[] buf = new byte[pending.length + chunk.length];
      System.arraycopy(pending, 0, buf, 0, pending.length);
      System.arraycopy(chunk, 0, buf, pending.length, chunk.length);
      int pos = 0;
      while (pos < buf.length) {
        Varint.Decoded len;
        try {
          len = Varint.decode(buf, pos);
        } catch (IllegalArgumentException partial) {
          break;
        }
        int start = pos + len.length();
        if (start + len.value() > buf.length) {
          break;
        }
        try {
          RPC rpc =
              RPC.parseFrom(java.util.Arrays.copyOfRange(buf, start, start + (int) len.value()));
          count.addAndGet(rpc.getPublishCount());
        } catch (InvalidProtocolBufferException e) {
          stream.reset();
          return;
        }
        pos = start + (int) len.value();
      }
      pending = java.util.Arrays.copyOfRange(buf, pos, buf.length);
    }
  }
}
