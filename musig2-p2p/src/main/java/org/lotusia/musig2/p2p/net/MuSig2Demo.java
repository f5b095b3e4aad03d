package org.lotusia.musig2.p2p.net;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.p2p.coordinator.P2PCoordinator;

/**
 * A 3-of-3 MuSig2 session among three running, connected coordinators, for demonstrations (the
 * node's {@code demo} command): each node gets a fresh signer key and a {@link MuSig2Sessions}
 * binding, the first creates a session over a fresh 32-byte message, the other two join it (the
 * announcement handed over in process, every session message on the wire), and the signature every
 * node ends with is checked under the aggregate key. The bindings are closed before the returned
 * future completes.
 */
public final class MuSig2Demo {

  private MuSig2Demo() {}

  /**
   * What the demo shows, in hex.
   *
   * @param aggregateKey the 33-byte MuSig2 aggregate key of the three signers
   * @param message the 32 bytes signed
   * @param signature the 64-byte Lotus Schnorr signature
   * @param verified whether it verifies under the aggregate key (and all three nodes agree on it)
   */
  public record Result(String aggregateKey, String message, String signature, boolean verified) {}

  /**
   * Runs the session.
   *
   * @param nodes three started coordinators, connected to each other, none with a {@link
   *     MuSig2Sessions} binding already
   * @return the outcome; fails when a session step fails (with the session's abort reason)
   * @throws IllegalArgumentException unless exactly three coordinators are given
   * @throws IllegalStateException when a coordinator is not running or already has a binding
   */
  public static CompletableFuture<Result> threeOfThree(List<P2PCoordinator> nodes) {
    Objects.requireNonNull(nodes, "nodes");
    if (nodes.size() != 3) {
      throw new IllegalArgumentException("a 3-of-3 session needs 3 coordinators, got " + nodes.size());
    }
    SecureRandom random = new SecureRandom();
    List<PrivateKey> keys = new ArrayList<>();
    List<byte[]> publicKeys = new ArrayList<>();
    List<MuSig2Sessions> bindings = new ArrayList<>();
    try {
      for (P2PCoordinator node : nodes) {
        PrivateKey k = PrivateKey.random(random);
        keys.add(k);
        publicKeys.add(k.publicKeyBytes());
        bindings.add(MuSig2Sessions.builder(node, k).discoverSessions(false).random(random).build());
      }
    } catch (RuntimeException e) {
      bindings.forEach(MuSig2Sessions::closeAsync);
      throw e;
    }
    byte[] message =
        Hashes.sha256(("lotus-p2p demo " + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
    byte[] aggregate = TransactionSigning.aggregateKey(publicKeys);
    CompletableFuture<Result> outcome =
        bindings.get(0)
            .create(publicKeys, message, SessionOptions.defaults())
            .thenCompose(
                h -> {
                  List<CompletableFuture<SessionResult>> results = new ArrayList<>();
                  results.add(h.result());
                  for (int i = 1; i < 3; i++) {
                    results.add(
                        bindings.get(i).join(h.announcement(), message)
                            .thenCompose(SessionHandle::result));
                  }
                  return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
                      .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
                })
            .thenApply(
                results -> {
                  byte[] sig = results.get(0).signature();
                  boolean agree =
                      results.stream().allMatch(r -> java.util.Arrays.equals(r.signature(), sig));
                  HexFormat hex = HexFormat.of();
                  return new Result(
                      hex.formatHex(aggregate),
                      hex.formatHex(message),
                      hex.formatHex(sig),
                      agree && LotusSchnorr.verify(sig, aggregate, message));
                });
    // completes once the bindings are closed, so the nodes can run it again at once
    return outcome.handle(
            (r, e) ->
                CompletableFuture.allOf(
                        bindings.stream()
                            .map(MuSig2Sessions::closeAsync)
                            .toArray(CompletableFuture<?>[]::new))
                    .thenCompose(
                        v -> e == null
                            ? CompletableFuture.completedFuture(r)
                            : CompletableFuture.<Result>failedFuture(e)))
        .thenCompose(f -> f);
  }
}
