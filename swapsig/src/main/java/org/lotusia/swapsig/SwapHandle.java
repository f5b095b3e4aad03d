package org.lotusia.swapsig;

import java.util.concurrent.CompletableFuture;

/**
 * A participation in a pool. The outcome future always completes: with the payout, the refund, or
 * the abort that happened before the funds moved; on the manager's callback executor. It never
 * fails with an exception except when the manager is closed before the funds are resolved
 * ({@link IllegalStateException}).
 *
 * @param poolId the pool
 * @param signerKey this participant's signer key in the pool (33 bytes hex)
 * @param outcome how it ends
 */
public record SwapHandle(String poolId, String signerKey, CompletableFuture<SwapOutcome> outcome) {}
