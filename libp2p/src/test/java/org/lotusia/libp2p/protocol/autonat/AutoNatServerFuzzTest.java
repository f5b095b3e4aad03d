package org.lotusia.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.AddressScope;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.internal.proto.NatProto.V1Message;
import org.lotusia.libp2p.internal.proto.NatProto.V2Message;
import org.lotusia.libp2p.testing.FuzzSeeds;
import org.lotusia.libp2p.testing.ScriptedStream;

/**
 * Fuzzes the AutoNAT v1 and v2 servers with what a requester sends on its stream. The first input
 * byte picks the case (bit 0: v2, else v1; bit 1: dial data for other IPs allowed; bit 2: the
 * dial-back connects; bit 3: the requester is seen over IPv6), the rest is the byte stream.
 * Seeds are valid requests for the requester's own address, for another IP, with dial data, and
 * malformed ones.
 *
 * <p>Contract: the server never throws; it either resets the stream or writes length-prefixed
 * answers of its version (v2: a dial-data request before any dial of another IP, then one
 * response) and closes; it dials only TCP addresses with a public IP of the requester's family,
 * never more than the configured number, and never an IP other than the one it saw the requester
 * at, unless v2 allows it and the requester sent the dial data asked for; its request slot is free
 * again once the request is done.
 */
class AutoNatServerFuzzTest {

  static final PeerId REQUESTER = PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[32]).publicKey());
  static final Multiaddr SEEN_V4 = Multiaddr.parse("/ip4/203.0.113.5/tcp/40123");
  static final Multiaddr SEEN_V6 = Multiaddr.parse("/ip6/2001:db8::5/tcp/40123");
  static final int DIAL_DATA = 48;

  @FuzzTest(maxDuration = "30s")
  void requesterBytes(byte[] input) throws Exception {
    if (input.length > 0) {
      run(input);
    }
  }

  /** The seeds mean something: a valid v1 and v2 request for the requester's own IP are dialled. */
  @Test
  void validSeedsAreDialledBack() throws Exception {
    for (String seed : new String[] {"v1-dial-own-ip", "v2-dial-own-ip", "v2-other-ip-paid"}) {
      Outcome o = run(FuzzSeeds.read(AutoNatServerFuzzTest.class, "requesterBytes", seed));
      assertThat(o.dialled).as(seed).hasSize(1);
      assertThat(o.stream.wasReset()).as(seed).isFalse();
    }
  }

  record Outcome(List<Multiaddr> dialled, ScriptedStream stream) {}

  static Outcome run(byte[] input) throws Exception {
    int flags = input[0] & 0xff;
    boolean v2 = (flags & 1) != 0;
    boolean otherIps = (flags & 2) != 0;
    boolean connects = (flags & 4) != 0;
    Multiaddr seen = (flags & 8) != 0 ? SEEN_V6 : SEEN_V4;
    AutoNatServerConfig config =
        AutoNatServerConfig.builder()
            .dialDataForOtherIps(otherIps)
            .dialData(DIAL_DATA, DIAL_DATA)
            .maxConcurrent(1)
            .maxMessageSize(1024)
            .build();
    List<Multiaddr> dialled = new ArrayList<>();
    Host host = host(dialled, connects);
    RequestLimiter limiter = new RequestLimiter(config, Clock.systemUTC());
    ScriptedStream stream =
        new ScriptedStream(
            Arrays.copyOfRange(input, 1, input.length),
            ScriptedStream.connection(REQUESTER, seen),
            v2 ? AutoNat.V2_DIAL_REQUEST : AutoNat.V1);
    if (v2) {
      new V2Server(host, config, limiter).handle(stream);
    } else {
      new V1Server(host, config, limiter).handle(stream);
    }

    assertThat(stream.wasReset() || stream.wasClosed()).as("the request is finished").isTrue();
    List<byte[]> answers = ScriptedStream.lengthPrefixedMessages(stream.written());
    if (stream.wasReset()) {
      assertThat(answers.size()).isLessThanOrEqualTo(1);
    } else {
      assertThat(answers).isNotEmpty();
    }
    InetAddress seenIp = AddressScope.ip(seen).orElseThrow();
    boolean askedForData = false;
    for (int i = 0; i < answers.size(); i++) {
      if (v2) {
        V2Message m = V2Message.parseFrom(answers.get(i));
        askedForData |= m.hasDialDataRequest();
        boolean last = i == answers.size() - 1;
        assertThat(last ? m.hasDialResponse() || stream.wasReset() : m.hasDialDataRequest())
            .as("answer %d of %d: %s", i, answers.size(), m)
            .isTrue();
      } else {
        assertThat(V1Message.parseFrom(answers.get(i)).hasDialResponse()).isTrue();
      }
    }
    assertThat(dialled.size()).isLessThanOrEqualTo(v2 ? 1 : config.maxDialsPerRequest());
    for (Multiaddr a : dialled) {
      InetAddress ip = AddressScope.ip(a).orElseThrow();
      assertThat(AddressScope.of(a)).isEqualTo(AddressScope.PUBLIC);
      assertThat(ip.getClass()).isEqualTo(seenIp.getClass());
      if (!ip.equals(seenIp)) {
        assertThat(v2 && otherIps && askedForData)
            .as("%s dialled for a requester seen at %s", a, seen)
            .isTrue();
        assertThat(stream.consumed()).isGreaterThanOrEqualTo(DIAL_DATA);
      }
    }
    assertThat(limiter.acquire(REQUESTER)).as("the request slot is free again").isNull();
    return new Outcome(dialled, stream);
  }

  /** A host whose dials are recorded; a dial connects (to a connection that opens no stream) or fails. */
  private static Host host(List<Multiaddr> dialled, boolean connects) {
    InvocationHandler h =
        (proxy, m, args) -> {
          if (m.getName().equals("dial")) {
            Multiaddr target = (Multiaddr) args[0];
            dialled.add(target.withoutPeerId());
            if (!connects) {
              return CompletableFuture.failedFuture(new IOException("connection refused"));
            }
            Connection c = ScriptedStream.connection(REQUESTER, target);
            return CompletableFuture.completedFuture(deadConnection(c));
          }
          throw new UnsupportedOperationException(m.getName());
        };
    return (Host)
        Proxy.newProxyInstance(
            AutoNatServerFuzzTest.class.getClassLoader(), new Class<?>[] {Host.class}, h);
  }

  private static Connection deadConnection(Connection c) {
    InvocationHandler h =
        (proxy, m, args) ->
            m.getName().equals("newStream")
                ? CompletableFuture.failedFuture(new IOException("protocol not supported"))
                : m.invoke(c, args);
    return (Connection)
        Proxy.newProxyInstance(
            AutoNatServerFuzzTest.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }
}
