package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.discovery.SigningRequest;

/** The limits of approvals: one per request, a bounded number pending, lapsing at expiry. */
class SigningRequestBridgeTest {

  private static final byte[] A = PrivateKey.of(BigInteger.valueOf(11)).publicKeyBytes();
  private static final byte[] B = PrivateKey.of(BigInteger.valueOf(12)).publicKeyBytes();

  private final AtomicInteger joins = new AtomicInteger();
  private final SigningRequestBridge bridge =
      new SigningRequestBridge(
          (announcement, message) -> {
            joins.incrementAndGet();
            return new CompletableFuture<SessionHandle>();
          },
          Clock.systemUTC(),
          2);

  private static SigningRequest request(String id, long lifetimeMillis) {
    long now = System.currentTimeMillis();
    return new SigningRequest(id, "peer-a", List.of(), List.of(A, B), new byte[32], A, null, now,
        now + lifetimeMillis, 50, new byte[64], null);
  }

  @Test
  void anApprovalIsRefusedForAnotherKeyAnExpiredRequestTwiceOrBeyondTheLimit() {
    assertThatThrownBy(() -> bridge.approve(request("r0", 60_000), new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signing request r0 does not list this node's signer key");
    assertThatThrownBy(() -> bridge.approve(request("r1", -1), B))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signing request r1 expired");
    bridge.approve(request("r2", 60_000), B);
    assertThatThrownBy(() -> bridge.approve(request("r2", 60_000), B))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("signing request r2 is approved already");
    bridge.approve(request("r3", 60_000), B);
    assertThatThrownBy(() -> bridge.approve(request("r4", 60_000), B))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most 2 approvals may be pending");
    assertThat(bridge.pending()).isEqualTo(2);
    assertThat(joins).hasValue(0);
  }

  @Test
  void anApprovalLapsesWhenItsRequestExpiresAndFailsWhenTheBindingCloses() throws Exception {
    CompletableFuture<SessionHandle> soon = bridge.approve(request("r5", 300), B);
    CompletableFuture<SessionHandle> later = bridge.approve(request("r6", 60_000), B);
    await().atMost(Duration.ofSeconds(30)).until(soon::isDone);
    assertThatThrownBy(soon::get).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> bridge.pending() == 1);
    bridge.close();
    assertThatThrownBy(later::get).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(bridge.pending()).isZero();
  }
}
