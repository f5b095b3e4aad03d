package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.SessionStatus;
import org.lotusia.musig2.p2p.discovery.DiscoveryConfig;
import org.lotusia.musig2.p2p.discovery.MuSig2DiscoveryEvent;
import org.lotusia.musig2.p2p.discovery.SigningRequest;

/**
 * The discovery extension bridged to sessions, among three coordinators on loopback: node 0
 * publishes a signing request on {@value SigningRequest#TOPIC}; nodes 1 and 2 receive it and
 * approve it; node 0 creates a session over the same keys for another message, which nobody joins,
 * then the session for the request, which both join by themselves; all three end with the same
 * valid signature of the requested message.
 */
class SigningRequestTest {

  @Test
  void approvedSignersJoinTheSessionCreatedForTheRequestAndNoOther() {
    try (NetCluster c = new NetCluster(3, 77, SessionConfig.defaults())
        .manualJoin()
        .customize((i, b) -> b.discovery(DiscoveryConfig.defaults()))) {
      c.connectAll().bindAll();
      for (int i = 0; i < 3; i++) {
        int node = i;
        c.awaitTopicPeers(i);
        await("node " + i + " sees the request topic's peers").atMost(NetCluster.WAIT)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> c.nodes.get(node).getTopicPeers(SigningRequest.TOPIC).size() >= 2);
      }
      List<CompletableFuture<CompletableFuture<SessionHandle>>> approvals =
          List.of(new CompletableFuture<>(), new CompletableFuture<>());
      for (int i = 1; i <= 2; i++) {
        int node = i;
        c.sessions.get(i).discovery().orElseThrow().addListener(e -> {
          if (e instanceof MuSig2DiscoveryEvent.SigningRequestReceived r
              && r.request().requires(c.publicKeys.get(node))
              && !approvals.get(node - 1).isDone()) {
            approvals.get(node - 1).complete(c.sessions.get(node).approve(r.request()));
          }
        });
      }
      byte[] message = NetworkSessionsTest.message("signing request");
      SigningRequest request =
          NetCluster.join(c.sessions.get(0).requestSignatures(c.publicKeys, message, null));
      assertThat(request.creatorPublicKey()).isEqualTo(c.publicKeys.get(0));
      CompletableFuture<SessionHandle> joined1 = NetCluster.join(approvals.get(0));
      CompletableFuture<SessionHandle> joined2 = NetCluster.join(approvals.get(1));

      // the same keys, another message: an approval is no licence to sign it
      SessionHandle other = NetCluster.join(c.sessions.get(0).create(c.publicKeys,
          NetworkSessionsTest.message("not what was requested"), SessionOptions.defaults()));
      SessionHandle h = NetCluster.join(c.sessions.get(0).createFor(request, SessionOptions.defaults()));

      SessionResult r0 = NetCluster.join(h.result());
      for (CompletableFuture<SessionHandle> joined : List.of(joined1, joined2)) {
        SessionHandle j = NetCluster.join(joined);
        assertThat(j.sessionId()).isEqualTo(h.sessionId());
        SessionResult r = NetCluster.join(j.result());
        assertThat(r.signature()).isEqualTo(r0.signature());
      }
      assertThat(r0.message()).isEqualTo(message);
      assertThat(LotusSchnorr.verify(r0.signature(), r0.aggregateKey(), message)).isTrue();
      for (int i = 1; i <= 2; i++) {
        int node = i;
        await("node " + i + " heard the other session").atMost(NetCluster.WAIT)
            .until(() -> c.events.get(node).stream().anyMatch(e ->
                e instanceof SessionEvent.SessionDiscovered d
                    && d.sessionId().equals(other.sessionId())));
        Optional<SessionStatus> status =
            NetCluster.join(c.sessions.get(node).manager().status(other.sessionId()));
        assertThat(status).as("node %d joined the session it did not approve", node).isEmpty();
      }

      // misuse is refused with the reason
      assertThatThrownBy(() -> c.sessions.get(1).createFor(request, SessionOptions.defaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("only its creator creates its session");
      SigningRequest notMine = NetCluster.join(c.sessions.get(0).requestSignatures(
          List.of(c.publicKeys.get(0), c.publicKeys.get(2)), message, null));
      assertThatThrownBy(() -> c.sessions.get(1).approve(notMine))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not list this node's signer key");
    }
  }
}
