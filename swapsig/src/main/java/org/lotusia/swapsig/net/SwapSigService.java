package org.lotusia.swapsig.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.swapsig.SwapSigConfig;
import org.lotusia.swapsig.SwapSigListener;
import org.lotusia.swapsig.SwapSigManager;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;

/**
 * SwapSig on a running {@link P2PCoordinator}: a {@link SwapSigManager} wired to the node's direct
 * messages (protocol handler {@code swapsig}), the pool topic (with a topic validator) and DHT
 * resources, using a MuSig2 {@link SessionManager} of the same node (for example {@code
 * MuSig2Sessions.manager()}) for the settlements.
 *
 * <pre>{@code
 * MuSig2Sessions musig = MuSig2Sessions.open(node, nodeKey);
 * try (SwapSigService swapsig = SwapSigService.builder(node, musig.manager(), chronik).build()) {
 *   PoolAnnouncement pool = swapsig.manager().createPool(PoolParameters.builder(1_000_000).build()).join();
 * }
 * }</pre>
 *
 * <p>Life cycle: one per coordinator run; {@link #close()} closes the manager and removes what the
 * binding registered. Threading: thread-safe.
 */
public final class SwapSigService implements AutoCloseable {

  private final P2PCoordinator node;
  private final CoordinatorSwapSigNetwork network;
  private final SwapSigManager manager;
  private final List<Registration> registrations = new ArrayList<>();
  private final CompletableFuture<Void> started;

  private SwapSigService(Builder b) {
    this.node = b.node;
    this.network = new CoordinatorSwapSigNetwork(node);
    SwapSigManager.Builder mb =
        SwapSigManager.builder(network, b.sessions, b.chronik).config(b.config);
    b.listeners.forEach(mb::listener);
    if (b.refundJournal != null) {
      mb.refundJournal(b.refundJournal);
    }
    this.manager = mb.build();
    network.attach(manager);
    node.registerProtocol(new SwapSigProtocolHandler(manager, network.localPeerId()));
    registrations.add(() -> node.unregisterProtocol(SwapSigMessageTypes.PROTOCOL));
    if (node.config().enableGossipSub()) {
      registrations.add(
          node.addTopicValidator(SwapSigMessageTypes.POOL_TOPIC, new PoolTopicValidator(network.clock())));
    }
    this.started = manager.start();
  }

  /**
   * @param node a started coordinator
   * @param sessions the MuSig2 session manager of the same node
   * @param chronik the Chronik client (not closed by the service)
   * @return a builder
   */
  public static Builder builder(P2PCoordinator node, SessionManager sessions, ChronikClient chronik) {
    return new Builder(node, sessions, chronik);
  }

  /** @return the manager */
  public SwapSigManager manager() {
    return manager;
  }

  /** @return the network port */
  public CoordinatorSwapSigNetwork network() {
    return network;
  }

  /** @return completes when the topics are subscribed */
  public CompletableFuture<Void> started() {
    return started;
  }

  /** Closes the manager and removes the protocol handler, validator and subscriptions. */
  @Override
  public void close() {
    manager.close();
    for (Registration r : registrations) {
      try {
        r.close();
      } catch (RuntimeException e) {
        // the node stopped: its handlers are gone already
      }
    }
    network.unsubscribeAll();
  }

  /** Builder of {@link SwapSigService}; not thread-safe. */
  public static final class Builder {
    private final P2PCoordinator node;
    private final SessionManager sessions;
    private final ChronikClient chronik;
    private SwapSigConfig config = SwapSigConfig.defaults();
    private final List<SwapSigListener> listeners = new ArrayList<>();
    private java.nio.file.Path refundJournal;

    private Builder(P2PCoordinator node, SessionManager sessions, ChronikClient chronik) {
      this.node = Objects.requireNonNull(node, "node");
      this.sessions = Objects.requireNonNull(sessions, "sessions");
      this.chronik = Objects.requireNonNull(chronik, "chronik");
    }

    /** Limits and timings; default {@link SwapSigConfig#defaults()}. */
    public Builder config(SwapSigConfig c) {
      config = Objects.requireNonNull(c, "config");
      return this;
    }

    /** A listener present from the start. */
    public Builder listener(SwapSigListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * Where signed refunds are recorded so that a restarted node refunds by itself; default none.
     *
     * @see SwapSigManager.Builder#refundJournal(java.nio.file.Path)
     */
    public Builder refundJournal(java.nio.file.Path dir) {
      refundJournal = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** @return the running binding */
    public SwapSigService build() {
      return new SwapSigService(this);
    }
  }
}
