package org.lotusia.swapsig.net;

import java.util.concurrent.atomic.LongAdder;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolHandler;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.SwapSigManager;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;

/**
 * The coordinator's protocol handler {@code swapsig}: hands every SwapSig message that passed the
 * coordinator's security manager (size, validation, sender binding, de-duplication, rate limits)
 * to {@link SwapSigManager#deliverDirect} with the peer the transport authenticated. The
 * coordinator's self-delivery of this node's own broadcasts is dropped (pools never broadcast).
 * Runs on the coordinator's callback executor; never blocks.
 */
final class SwapSigProtocolHandler implements ProtocolHandler {

  private final SwapSigManager manager;
  private final String self;
  private final LongAdder refused = new LongAdder();

  SwapSigProtocolHandler(SwapSigManager manager, String self) {
    this.manager = manager;
    this.self = self;
  }

  @Override
  public String protocolName() {
    return SwapSigMessageTypes.PROTOCOL;
  }

  @Override
  public void handleMessage(P2PMessage message, PeerInfo from) {
    if (self.equals(from.peerId())) {
      return;
    }
    if (!manager.deliverDirect(from.peerId(), message)) {
      refused.increment();
    }
  }

  long refused() {
    return refused.sum();
  }
}
