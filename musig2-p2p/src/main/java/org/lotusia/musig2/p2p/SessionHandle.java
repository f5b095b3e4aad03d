package org.lotusia.musig2.p2p;

import java.util.concurrent.CompletableFuture;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/**
 * A session the local node takes part in. The result future always completes: with the result
 * when the session completes, or with {@link SessionAbortedException} when it is aborted (every
 * phase has a timeout, so it cannot hang). It completes on the manager's callback executor, never
 * on its service thread.
 *
 * @param sessionId the session ID
 * @param announcement the signed announcement
 * @param localIndex the local signer's index
 * @param result the outcome
 */
public record SessionHandle(
    String sessionId,
    SessionAnnouncement announcement,
    int localIndex,
    CompletableFuture<SessionResult> result) {}
