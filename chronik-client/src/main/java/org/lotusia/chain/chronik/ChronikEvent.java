package org.lotusia.chain.chronik;

/**
 * A message received on Chronik's WebSocket. Txids and block hashes are big-endian (display) hex.
 */
public sealed interface ChronikEvent {

  /** A transaction touching a subscribed script entered the mempool. */
  record AddedToMempool(String txid) implements ChronikEvent {}

  /** A transaction touching a subscribed script left the mempool without being mined. */
  record RemovedFromMempool(String txid) implements ChronikEvent {}

  /** A transaction touching a subscribed script was mined in a block. */
  record Confirmed(String txid) implements ChronikEvent {}

  /** A transaction touching a subscribed script went back to the mempool after a reorg. */
  record Reorg(String txid) implements ChronikEvent {}

  /** A block was connected to the chain tip. */
  record BlockConnected(String blockHash) implements ChronikEvent {}

  /** A block was disconnected from the chain tip. */
  record BlockDisconnected(String blockHash) implements ChronikEvent {}

  /**
   * The server reported an error on the WebSocket, for example for a bad subscription.
   *
   * @param errorCode Chronik's error code
   * @param message Chronik's message
   * @param isUserError whether the client's message was at fault
   */
  record Error(String errorCode, String message, boolean isUserError) implements ChronikEvent {}
}
