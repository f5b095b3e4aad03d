package org.lotusia.musig2.p2p.net;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionListener;
import org.lotusia.musig2.p2p.discovery.SigningRequest;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/**
 * Turns approved signing requests (lotus-sdk's discovery extension, reference 3.15) into joined
 * sessions: a signer that approved a request joins the session its requester creates for it, and
 * no other. A session matches a request when its creator key is the request's creator key, its
 * signer keys are the request's required keys and the 32 bytes it signs are the request's {@code
 * messageHash}; the join then also checks that message ({@code join(announcement, messageHash)}).
 * Each approval joins one session at most and lapses when the request expires.
 *
 * <p>Announcements heard before the approval count too: the last {@value #RECENT} are kept until
 * they expire, so the order of approving and hearing the session does not matter.
 *
 * <p>Threading: thread-safe (state under the object's lock, never held while joining); events
 * arrive on the session manager's callback thread.
 */
final class SigningRequestBridge implements SessionListener {

  /** Announcements kept for approvals that come after them. */
  static final int RECENT = 64;

  /** Joins an announced session with the binding's key and the expected message. */
  interface Joiner {
    CompletableFuture<SessionHandle> join(SessionAnnouncement announcement, byte[] message);
  }

  private record Approval(SigningRequest request, CompletableFuture<SessionHandle> joined) {}

  private final Joiner joiner;
  private final Clock clock;
  private final int maxApprovals;
  private final Map<String, Approval> approvals = new LinkedHashMap<>();
  private final Deque<SessionAnnouncement> recent = new ArrayDeque<>();

  SigningRequestBridge(Joiner joiner, Clock clock, int maxApprovals) {
    this.joiner = joiner;
    this.clock = clock;
    this.maxApprovals = maxApprovals;
  }

  /**
   * Approves a request: this node joins the session its requester creates for it.
   *
   * @param request a request that lists {@code localKey}
   * @param localKey this node's signer key
   * @return completes with the joined session, or fails with a {@link TimeoutException} when the
   *     request expires first, with an {@link IllegalStateException} when the binding closes
   * @throws IllegalArgumentException when the request does not list the key, or has expired
   * @throws IllegalStateException beyond {@code maxApprovals} pending approvals, or for a request
   *     approved already
   */
  CompletableFuture<SessionHandle> approve(SigningRequest request, byte[] localKey) {
    if (!request.requires(localKey)) {
      throw new IllegalArgumentException(
          "signing request " + request.requestId() + " does not list this node's signer key");
    }
    long left = request.expiresAt() - clock.millis();
    if (left <= 0) {
      throw new IllegalArgumentException("signing request " + request.requestId() + " expired");
    }
    Approval a = new Approval(request, new CompletableFuture<>());
    SessionAnnouncement match;
    synchronized (this) {
      purge();
      if (approvals.containsKey(request.requestId())) {
        throw new IllegalStateException(
            "signing request " + request.requestId() + " is approved already");
      }
      if (approvals.size() >= maxApprovals) {
        throw new IllegalStateException("at most " + maxApprovals
            + " approvals may be pending (MuSig2Sessions.Builder.maxApprovals)");
      }
      match = recent.stream().filter(s -> matches(s, request)).findFirst().orElse(null);
      if (match == null) {
        approvals.put(request.requestId(), a);
      }
    }
    if (match != null) {
      joinFor(a, match);
      return a.joined();
    }
    a.joined()
        .orTimeout(left, TimeUnit.MILLISECONDS)
        .whenComplete(
            (h, e) -> {
              synchronized (this) {
                approvals.remove(request.requestId(), a);
              }
            });
    return a.joined();
  }

  /** Pending approvals. */
  synchronized int pending() {
    return approvals.size();
  }

  @Override
  public void onEvent(SessionEvent event) {
    if (!(event instanceof SessionEvent.SessionDiscovered d)) {
      return;
    }
    SessionAnnouncement s = d.announcement();
    List<Approval> due = new ArrayList<>(1);
    synchronized (this) {
      purge();
      recent.addLast(s);
      while (recent.size() > RECENT) {
        recent.removeFirst();
      }
      for (Iterator<Approval> it = approvals.values().iterator(); it.hasNext(); ) {
        Approval a = it.next();
        if (matches(s, a.request())) {
          it.remove(); // one session per approval
          due.add(a);
        }
      }
    }
    for (Approval a : due) {
      joinFor(a, s);
    }
  }

  /** Fails every pending approval (the binding closes). */
  void close() {
    List<Approval> all;
    synchronized (this) {
      all = new ArrayList<>(approvals.values());
      approvals.clear();
      recent.clear();
    }
    for (Approval a : all) {
      a.joined().completeExceptionally(new IllegalStateException("MuSig2 sessions closed"));
    }
  }

  private void joinFor(Approval a, SessionAnnouncement s) {
    CompletableFuture<SessionHandle> f;
    try {
      f = joiner.join(s, a.request().messageHash());
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (h, e) -> {
          if (e != null) {
            a.joined().completeExceptionally(e);
          } else {
            a.joined().complete(h);
          }
        });
  }

  private void purge() {
    long now = clock.millis();
    recent.removeIf(s -> s.expiresAt() <= now);
  }

  /** Same creator key, same key set, same 32 bytes to sign. */
  static boolean matches(SessionAnnouncement s, SigningRequest r) {
    byte[] creator = s.creatorPublicKey();
    byte[] message = s.message();
    if (creator == null || message == null) {
      return false; // lotus-sdk's unsigned form: nothing to match against
    }
    if (!Arrays.equals(creator, r.creatorPublicKey())
        || !Arrays.equals(message, r.messageHash())) {
      return false;
    }
    List<byte[]> a = sorted(s.signers());
    List<byte[]> b = sorted(r.requiredPublicKeys());
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<byte[]> sorted(List<byte[]> keys) {
    List<byte[]> out = new ArrayList<>(keys);
    out.sort(Arrays::compareUnsigned);
    return out;
  }
}
