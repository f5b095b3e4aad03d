package org.lotusia.swapsig;

import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * What a {@link SwapSigListener} hears, named after lotus-sdk's {@code SwapSigEvent} values
 * (reference 1.15) where they exist. Transaction events carry the raw transaction as hex.
 */
public sealed interface SwapSigEvent {

  /** @return the pool the event is about */
  String poolId();

  /** This node created and announced a pool ({@code pool:created}). */
  record PoolCreated(String poolId, PoolAnnouncement announcement) implements SwapSigEvent {}

  /** A verified announcement arrived from another node. */
  record PoolDiscovered(String poolId, PoolAnnouncement announcement, String publisherPeerId)
      implements SwapSigEvent {}

  /** This node's registration was accepted ({@code pool:joined}). */
  record PoolJoined(String poolId, String signerKey) implements SwapSigEvent {}

  /** A registration was accepted by this creator ({@code participant:joined}). */
  record ParticipantJoined(String poolId, String signerKey, String peerId) implements SwapSigEvent {}

  /** A participant was excluded before any funds moved ({@code participant:dropped}). */
  record ParticipantExcluded(String poolId, String signerKey, String reason)
      implements SwapSigEvent {}

  /**
   * The local phase changed ({@code pool:phase-changed}).
   *
   * @param creator whether the phase is this node's creator role (else its participant role)
   */
  record PhaseChanged(String poolId, boolean creator, SwapPhase from, SwapPhase to)
      implements SwapSigEvent {}

  /** A roster round began; {@code index} is this participant's place in it. */
  record RosterAccepted(String poolId, int round, int participants, int index)
      implements SwapSigEvent {}

  /** A setup transaction was broadcast by this node ({@code setup:tx-broadcast}). */
  record SetupTxBroadcast(String poolId, int participantIndex, String txid, String rawTx)
      implements SwapSigEvent {}

  /** A setup transaction has its confirmations and its burn verified ({@code setup:confirmed}). */
  record SetupConfirmed(String poolId, int participantIndex, String txid) implements SwapSigEvent {}

  /** Every setup transaction is confirmed and every burn verified ({@code setup:complete}). */
  record SetupComplete(String poolId) implements SwapSigEvent {}

  /** A destination this node co-signs for was revealed and matched its commitment. */
  record DestinationRevealed(String poolId, int participantIndex) implements SwapSigEvent {}

  /** Every destination this node needs is known ({@code reveal:complete}). */
  record RevealComplete(String poolId) implements SwapSigEvent {}

  /** A MuSig2 session produced a settlement's signature. */
  record SettlementSigned(String poolId, int outputIndex, String txid) implements SwapSigEvent {}

  /** This node broadcast a settlement ({@code settlement:tx-broadcast}). */
  record SettlementTxBroadcast(String poolId, int outputIndex, String txid, String rawTx)
      implements SwapSigEvent {}

  /** A settlement has its confirmations ({@code settlement:confirmed}). */
  record SettlementConfirmed(String poolId, int outputIndex, String txid) implements SwapSigEvent {}

  /** This node's payout is confirmed ({@code pool:complete}). */
  record PoolComplete(String poolId, String payoutTxid) implements SwapSigEvent {}

  /** The pool was aborted ({@code pool:aborted}). */
  record PoolAborted(String poolId, String reason) implements SwapSigEvent {}

  /** This node broadcast a refund of the shared output it funded. */
  record RefundBroadcast(String poolId, String txid, String rawTx) implements SwapSigEvent {}

  /** The refund is confirmed. */
  record RefundConfirmed(String poolId, String txid) implements SwapSigEvent {}

  /**
   * A message was refused. The peer is the transport sender; a network adapter may feed
   * violations to its peer scoring.
   *
   * @param violation whether the message broke the protocol (else it was late, replayed or over a
   *     local limit)
   */
  record MessageRejected(String poolId, String peerId, String reason, boolean violation)
      implements SwapSigEvent {}
}
