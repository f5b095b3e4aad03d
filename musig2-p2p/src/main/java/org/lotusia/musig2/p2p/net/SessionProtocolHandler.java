package org.lotusia.musig2.p2p.net;

import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolHandler;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.MessageFormatException;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.MessageStreamDecoder;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.CoreSecurityManager;
import org.lotusia.p2p.security.RejectReason;
import org.lotusia.p2p.security.SecurityDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's protocol handler {@code musig2}: hands every session message to {@link
 * SessionManager#deliverDirect} with the peer the transport authenticated.
 *
 * <p>Two ways in. Messages on {@code /lotus/message/1.0.0} with {@code protocol: "musig2"} arrive
 * through {@link #handleMessage} after the coordinator's security manager passed them. Streams of
 * {@value MuSig2Wire#PROTOCOL_ID} (lotus-sdk dials its joins there; this SDK uses it on limited
 * connections) are read here with the same framing and the same checks: the security manager's
 * bounded decoder, then {@code checkMessage} (validation, sender binding, de-duplication, rate
 * limits); a refused message resets the stream, an accepted one closes it.
 *
 * <p>Not passed on: the coordinator's self-delivery of this node's own broadcasts (a broadcast
 * with protocol {@code musig2} is delivered to the local handler too; sessions never broadcast);
 * a {@value MuSig2Wire#RELAY_TYPE} envelope whose payload is not an envelope (counted). A relay
 * envelope is unwrapped: the inner message goes to the manager as delivered by the forwarder,
 * which the session layer accepts only from the session's creator.
 *
 * <p>Threading: runs on the coordinator's callback executor; never blocks (the manager queues).
 */
final class SessionProtocolHandler implements ProtocolHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SessionProtocolHandler.class);

  private final SessionManager manager;
  private final CoreSecurityManager security;
  private final String self;
  private final LongAdder selfDeliveries = new LongAdder();
  private final LongAdder malformedRelays = new LongAdder();
  private final LongAdder refusedStreams = new LongAdder();

  SessionProtocolHandler(SessionManager manager, CoreSecurityManager security, String self) {
    this.manager = manager;
    this.security = security;
    this.self = self;
  }

  @Override
  public String protocolName() {
    return MuSig2Wire.PROTOCOL_NAME;
  }

  @Override
  public Optional<String> streamProtocolId() {
    return Optional.of(MuSig2Wire.PROTOCOL_ID);
  }

  @Override
  public boolean runOnLimitedConnection() {
    return true;
  }

  @Override
  public void handleMessage(P2PMessage message, PeerInfo from) {
    deliver(from.peerId(), message);
  }

  @Override
  public void handleStream(Stream stream, PeerInfo from) {
    String remote = from.peerId();
    MessageStreamDecoder decoder = security.newStreamDecoder();
    stream.setReader(
        new StreamReader() {
          private boolean done;

          @Override
          public void onData(Stream s, byte[] chunk) {
            if (!done) {
              finish(s, decoder.onData(chunk));
            }
          }

          @Override
          public void onEnd(Stream s) {
            if (!done) {
              finish(s, decoder.onEndOfStream());
            }
          }

          @Override
          public void onError(Stream s, Throwable cause) {
            done = true; // the sender reset the stream: nothing was accepted
          }

          private void finish(Stream s, DecodeResult r) {
            if (r != null) {
              done = true;
              accept(s, remote, r);
            }
          }
        });
  }

  private void accept(Stream stream, String remote, DecodeResult result) {
    SecurityDecision d = security.checkMessage(remote, result);
    if (!d.accepted()) {
      refusedStreams.increment();
      LOG.debug("{} message from {} refused: {} ({})", MuSig2Wire.PROTOCOL_ID, remote,
          d.reason().code(), d.detail());
      if (d.reason() == RejectReason.MESSAGE_EMPTY || d.reason() == RejectReason.DUPLICATE) {
        stream.close();
      } else {
        stream.reset();
      }
      return;
    }
    P2PMessage message = ((DecodeResult.Decoded) result).message();
    if (!MuSig2Wire.PROTOCOL_NAME.equals(message.protocol())) {
      refusedStreams.increment();
      LOG.debug("{} message from {} names protocol {}, not {}", MuSig2Wire.PROTOCOL_ID, remote,
          message.protocol(), MuSig2Wire.PROTOCOL_NAME);
      stream.reset();
      return;
    }
    stream.close();
    deliver(remote, message);
  }

  private void deliver(String peer, P2PMessage message) {
    if (self.equals(peer)) {
      selfDeliveries.increment(); // the coordinator's self-delivery of a broadcast
      return;
    }
    P2PMessage m = message;
    if (MuSig2Wire.RELAY_TYPE.equals(message.type())) {
      try {
        m = MessageJson.fromTree(message.payload());
      } catch (MessageFormatException e) {
        malformedRelays.increment();
        LOG.debug("relay envelope from {} carries no envelope: {}", peer, e.toString());
        return;
      }
    }
    manager.deliverDirect(peer, m);
  }

  /**
   * @return this node's own broadcasts the coordinator delivered back, not passed on
   */
  long selfDeliveries() {
    return selfDeliveries.sum();
  }

  /**
   * @return relay envelopes dropped because their payload was not an envelope
   */
  long malformedRelays() {
    return malformedRelays.sum();
  }

  /**
   * @return {@value MuSig2Wire#PROTOCOL_ID} streams refused (security checks, wrong protocol)
   */
  long refusedStreams() {
    return refusedStreams.sum();
  }
}
