package org.lotusia.p2p.coordinator;

/**
 * The coordinator's view of its own connectivity (lotus-sdk's {@code P2PConnectionState}, with the
 * same wire names). Unlike lotus-sdk the state also goes down: losing the routing table or every
 * peer moves it back, so a listener always sees the node's real condition.
 *
 * <ul>
 *   <li>{@link #DISCONNECTED}: not started, or stopped.
 *   <li>{@link #CONNECTING}: {@code start()} is running, or the node runs but has never had a peer.
 *   <li>{@link #CONNECTED}: at least one peer is connected; the DHT is disabled.
 *   <li>{@link #DHT_INITIALIZING}: peers are connected but the DHT routing table is empty.
 *   <li>{@link #DHT_READY}: the routing table has at least one peer but fewer than the
 *       fully-operational threshold.
 *   <li>{@link #FULLY_OPERATIONAL}: the routing table reached the threshold (3 by default).
 *   <li>{@link #RECONNECTING}: the node had peers and lost all of them; the bootstrap manager
 *       redials its bootstrap peers.
 *   <li>{@link #ERROR}: {@code start()} failed; see the state-changed event's error.
 * </ul>
 */
public enum ConnectionState {
  DISCONNECTED("disconnected"),
  CONNECTING("connecting"),
  CONNECTED("connected"),
  DHT_INITIALIZING("dht_initializing"),
  DHT_READY("dht_ready"),
  FULLY_OPERATIONAL("fully_operational"),
  RECONNECTING("reconnecting"),
  ERROR("error");

  private final String wireName;

  ConnectionState(String wireName) {
    this.wireName = wireName;
  }

  /**
   * lotus-sdk's string for this state.
   *
   * @return for example {@code dht_ready}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether the node runs (any state between a successful start and stop).
   *
   * @return true unless {@link #DISCONNECTED} or {@link #ERROR}
   */
  public boolean isRunning() {
    return this != DISCONNECTED && this != ERROR;
  }
}
