package org.lotusia.libp2p.protocol.identify;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.Stream;

/**
 * Identify ({@value #PROTOCOL_ID}) and identify push ({@value #PUSH_PROTOCOL_ID}), per
 * https://github.com/libp2p/specs/blob/master/identify/README.md.
 *
 * <p>{@link #query()} is the binding whose initiator reads the remote's message and whose responder
 * sends ours (with the observed address of the stream's connection). {@link #push(BiConsumer)} is
 * the binding whose initiator sends ours and whose responder hands the received message to a
 * consumer. The host wires both; applications read results from the peer store or {@link
 * org.lotusia.libp2p.HostListener#identifyCompleted}.
 *
 * <p>Thread-safe.
 */
public final class Identify {

  /** The identify protocol ID. */
  public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";

  /** The identify push protocol ID. */
  public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";

  /** The protocol version this implementation announces. */
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";

  /** Default limit of an identify message, length prefix included. */
  public static final int DEFAULT_MAX_MESSAGE = 8 * 1024;

  private final Supplier<IdentifyInfo> local;
  private final int maxMessage;

  /**
   * Creates identify for one host.
   *
   * @param local supplies this host's current info; its observed address is replaced per stream
   * @param maxMessage limit of a received message in bytes
   * @throws IllegalArgumentException when {@code maxMessage} is below 64
   */
  public Identify(Supplier<IdentifyInfo> local, int maxMessage) {
    if (maxMessage < 64) {
      throw new IllegalArgumentException("identify maxMessage must be >= 64, got " + maxMessage);
    }
    this.local = local;
    this.maxMessage = maxMessage;
  }

  /** The limit of a received message. */
  public int maxMessage() {
    return maxMessage;
  }

  private byte[] localMessage(Connection connection) {
    IdentifyInfo me = local.get();
    return IdentifyCodec.encode(
        new IdentifyInfo(
            me.protocolVersion(),
            me.agentVersion(),
            me.publicKey(),
            me.listenAddrs(),
            Optional.of(connection.remoteAddress()),
            me.protocols(),
            me.signedPeerRecord()));
  }

  private CompletableFuture<Void> send(Stream stream) {
    return stream.write(localMessage(stream.connection())).thenCompose(v -> stream.closeWrite());
  }

  /**
   * The {@value #PROTOCOL_ID} binding: initiator receives the remote's info, responder sends ours.
   */
  public ProtocolBinding<IdentifyInfo> query() {
    return new ProtocolBinding<>() {
      // identify runs on limited (relayed) connections too: peers learn each other's addresses there
      @Override
      public boolean runOnLimitedConnection() {
        return true;
      }

      @Override
      public List<String> protocolIds() {
        return List.of(PROTOCOL_ID);
      }

      @Override
      public CompletableFuture<IdentifyInfo> initiate(Stream stream) {
        Connection c = stream.connection();
        return stream
            .readAll(maxMessage)
            .thenApply(
                bytes -> {
                  stream.close();
                  return IdentifyCodec.decode(bytes, c.remotePeer(), null, false);
                });
      }

      @Override
      public CompletableFuture<IdentifyInfo> respond(Stream stream) {
        IdentifyInfo me = local.get();
        return send(stream).thenApply(v -> me);
      }
    };
  }

  /**
   * The {@value #PUSH_PROTOCOL_ID} binding: initiator sends ours, responder decodes the remote's
   * and passes it to {@code onPush} (on the callback executor).
   */
  public ProtocolBinding<IdentifyInfo> push(BiConsumer<Connection, IdentifyInfo> onPush) {
    return new ProtocolBinding<>() {
      // identify runs on limited (relayed) connections too: peers learn each other's addresses there
      @Override
      public boolean runOnLimitedConnection() {
        return true;
      }

      @Override
      public List<String> protocolIds() {
        return List.of(PUSH_PROTOCOL_ID);
      }

      @Override
      public CompletableFuture<IdentifyInfo> initiate(Stream stream) {
        IdentifyInfo me = local.get();
        return send(stream).thenApply(v -> me);
      }

      @Override
      public CompletableFuture<IdentifyInfo> respond(Stream stream) {
        Connection c = stream.connection();
        return stream
            .readAll(maxMessage)
            .thenApply(
                bytes -> {
                  stream.close();
                  IdentifyInfo info =
                      IdentifyCodec.decode(
                          bytes, c.remotePeer(), c.remotePeer().publicKey().orElse(null), true);
                  onPush.accept(c, info);
                  return info;
                });
      }
    };
  }
}
