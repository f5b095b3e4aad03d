package org.lotusia.libp2p.protocol.autonat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.LengthPrefixed;
import org.lotusia.libp2p.internal.proto.NatProto;
import org.lotusia.libp2p.internal.proto.NatProto.V2Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AutoNAT v2 client exchange and the {@value AutoNat#V2_DIAL_BACK} handler: a request with a
 * fresh random nonce, dial data paid up to the configured amount, and a verdict only when the
 * server's report is backed by the nonce arriving on a dial-back stream (the spec: a response
 * whose nonce did not arrive is discarded).
 *
 * <p>Thread-safe: pending nonces live in a concurrent map.
 */
final class V2Client {

  private static final Logger LOG = LoggerFactory.getLogger(V2Client.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_MESSAGE = 8 * 1024;

  private final AutoNatConfig config;
  private final Map<Long, CompletableFuture<Multiaddr>> pending = new ConcurrentHashMap<>();

  V2Client(AutoNatConfig config) {
    this.config = config;
  }

  /** Serves a dial-back stream: checks the nonce, answers OK, closes. */
  void onDialBack(Stream stream) {
    LengthPrefixed.read(stream, 64, "autonat dial-back")
        .whenComplete(
            (b, e) -> {
              NatProto.DialBack msg = null;
              try {
                msg = e == null ? NatProto.DialBack.parseFrom(b) : null;
              } catch (InvalidProtocolBufferException x) {
                msg = null;
              }
              CompletableFuture<Multiaddr> waiter =
                  msg != null && msg.hasNonce() ? pending.get(msg.getNonce()) : null;
              if (waiter == null) {
                LOG.debug("dial-back from {} with no matching nonce", stream.connection().remotePeer());
                stream.reset();
                return;
              }
              waiter.complete(stream.connection().localAddress());
              byte[] ok = NatProto.DialBackResponse.newBuilder().setStatus(0).build().toByteArray();
              stream.write(LengthPrefixed.frame(ok))
                  .thenCompose(v -> stream.closeWrite())
                  .whenComplete((v, x) -> stream.close());
            });
  }

  /** Asks the server on {@code conn} to dial one of {@code addrs}. */
  CompletableFuture<ProbeResult> check(Connection conn, List<Multiaddr> addrs) {
    PeerId server = conn.remotePeer();
    long nonce = RANDOM.nextLong();
    CompletableFuture<Multiaddr> back = new CompletableFuture<>();
    pending.put(nonce, back);
    NatProto.DialRequest.Builder req = NatProto.DialRequest.newBuilder().setNonce(nonce);
    for (Multiaddr a : addrs) {
      req.addAddrs(ByteString.copyFrom(a.toBytes()));
    }
    byte[] request = V2Message.newBuilder().setDialRequest(req).build().toByteArray();
    CompletableFuture<ProbeResult> result =
        conn.newStream(List.of(AutoNat.V2_DIAL_REQUEST))
            .thenCompose(
                s ->
                    s.write(LengthPrefixed.frame(request))
                        .thenCompose(v -> awaitResponse(s, addrs, server, back, 0))
                        .whenComplete(
                            (r, e) -> {
                              if (e != null) {
                                s.reset();
                              } else {
                                s.close();
                              }
                            }));
    result.whenComplete((r, e) -> pending.remove(nonce));
    return result;
  }

  /**
   * Reads the server's answers until its DialResponse, paying the dial data it asks for. {@code
   * paid} counts the dial data already sent in this probe: a server may ask more than once, but
   * the whole probe pays at most {@link AutoNatConfig#maxDialDataToSend()} (rounded up to whole
   * chunks), so a server cannot make this client upload without end.
   */
  private CompletableFuture<ProbeResult> awaitResponse(
      Stream s,
      List<Multiaddr> addrs,
      PeerId server,
      CompletableFuture<Multiaddr> back,
      long paid) {
    return read(s)
        .thenCompose(
            m -> {
              if (m.hasDialDataRequest()) {
                NatProto.DialDataRequest dd = m.getDialDataRequest();
                long n = dd.getNumBytes();
                if (dd.getAddrIdx() >= addrs.size()
                    || n < 0
                    || n > config.maxDialDataToSend() - paid) {
                  throw new DialDataRefusedException(
                      "server " + server + " asked for " + Long.toUnsignedString(n)
                          + " bytes of dial data after " + paid + " paid; at most "
                          + config.maxDialDataToSend() + " are paid for a probe");
                }
                long sent = chunks(n) * AutoNat.MAX_DIAL_DATA_CHUNK;
                return sendDialData(s, n)
                    .thenCompose(v -> awaitResponse(s, addrs, server, back, paid + sent));
              }
              if (!m.hasDialResponse()) {
                throw new ProtocolViolationException("expected DialResponse or DialDataRequest");
              }
              return CompletableFuture.completedFuture(
                  interpret(m.getDialResponse(), addrs, server, back));
            });
  }

  private ProbeResult interpret(
      NatProto.DialResponse r, List<Multiaddr> addrs, PeerId server,
      CompletableFuture<Multiaddr> back) {
    int status = r.getStatus();
    if (status != AutoNat.STATUS_OK) {
      return ProbeResult.inconclusive(server, 2, "server status " + status);
    }
    int idx = r.getAddrIdx();
    if (idx < 0 || idx >= addrs.size()) {
      throw new ProtocolViolationException("DialResponse addrIdx " + idx + " out of range");
    }
    Multiaddr addr = addrs.get(idx);
    int dial = r.getDialStatus();
    if (dial == AutoNat.DIAL_OK) {
      // the server waits for our DialBackResponse before answering: the nonce is here already
      if (!back.isDone()) {
        return ProbeResult.inconclusive(server, 2, "dial reported without the nonce");
      }
      return new ProbeResult(server, 2, List.of(addr), Verdict.REACHABLE, "dial-back received");
    }
    if (dial == AutoNat.DIAL_ERROR) {
      return new ProbeResult(server, 2, List.of(addr), Verdict.UNREACHABLE, "dial failed");
    }
    return ProbeResult.inconclusive(server, 2, "dial status " + dial);
  }

  private CompletableFuture<Void> sendDialData(Stream s, long amount) {
    byte[] chunk =
        V2Message.newBuilder()
            .setDialDataResponse(
                NatProto.DialDataResponse.newBuilder()
                    .setData(ByteString.copyFrom(new byte[AutoNat.MAX_DIAL_DATA_CHUNK])))
            .build()
            .toByteArray();
    byte[] framed = LengthPrefixed.frame(chunk);
    // the spec lets the last message overshoot, so every message is the same full chunk
    long messages = chunks(amount);
    CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
    for (long i = 0; i < messages; i++) {
      f = f.thenCompose(v -> s.write(framed));
    }
    return f;
  }

  /** The number of full dial-data messages that carry {@code amount} bytes. */
  private static long chunks(long amount) {
    return (amount + AutoNat.MAX_DIAL_DATA_CHUNK - 1) / AutoNat.MAX_DIAL_DATA_CHUNK;
  }

  private static CompletableFuture<V2Message> read(Stream s) {
    return LengthPrefixed.read(s, MAX_MESSAGE, "autonat v2 message")
        .thenApply(
            b -> {
              try {
                return V2Message.parseFrom(b);
              } catch (InvalidProtocolBufferException e) {
                throw new ProtocolViolationException("malformed autonat v2 message: " + e.getMessage());
              }
            });
  }

  /** The server asked for more dial data than this client pays. */
  static final class DialDataRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DialDataRefusedException(String message) {
      super(message);
    }
  }
}
