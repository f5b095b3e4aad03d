package org.lotusia.libp2p.protocol.autonat;

import java.time.Clock;
import java.util.Objects;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.Stream;

/**
 * The server side of AutoNAT v1 ({@value AutoNat#V1}) and v2 ({@value AutoNat#V2_DIAL_REQUEST})
 * on a host: dials requesters back and reports the outcome.
 *
 * <p>Safety (both versions): requests over relayed connections are refused (the requester's IP is
 * unknown there); only TCP addresses with an IP literal are dialled, public ones unless {@link
 * AutoNatServerConfig#allowPrivateAddresses()}; an address with another peer's ID is never dialled;
 * the IP dialled is the requester's observed IP, and with v2 another IP only when {@link
 * AutoNatServerConfig#dialDataForOtherIps()} is on and the requester first sent the dial data
 * asked for (30 to 100 KB). Requests are limited per peer, in total and in concurrency; the
 * dial-back is a new connection from an ephemeral port (never the listen port, so it cannot punch a
 * hole by accident) and is closed afterwards.
 *
 * <p>Threading: handlers run on the host's callback executor and never block; the only shared state
 * is the {@link RequestLimiter}, which is synchronized.
 */
public final class AutoNatServer implements AutoCloseable {

  private final Host host;
  private final AutoNatServerConfig config;
  private final RequestLimiter limiter;
  private final V1Server v1;
  private final V2Server v2;

  /** Serves both versions on {@code host} with the system clock. */
  public AutoNatServer(Host host, AutoNatServerConfig config) {
    this(host, config, Clock.systemUTC());
  }

  /** Serves both versions on {@code host}; {@code clock} drives the rate windows. */
  public AutoNatServer(Host host, AutoNatServerConfig config, Clock clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.limiter = new RequestLimiter(config, Objects.requireNonNull(clock, "clock"));
    this.v1 = new V1Server(host, config, limiter);
    this.v2 = new V2Server(host, config, limiter);
    host.setStreamHandler(AutoNat.V1, v1::handle);
    host.setStreamHandler(AutoNat.V2_DIAL_REQUEST, v2::handle);
  }

  /** The settings. */
  public AutoNatServerConfig config() {
    return config;
  }

  /** Requests refused so far (limits, relayed connections, nothing dialable). */
  public long refused() {
    return v1.refused() + v2.refused();
  }

  /** Dial-backs made so far, successful or not. */
  public long dialBacks() {
    return v1.dialBacks() + v2.dialBacks();
  }

  /** Stops serving; requests under way finish. */
  @Override
  public void close() {
    host.removeStreamHandler(AutoNat.V1);
    host.removeStreamHandler(AutoNat.V2_DIAL_REQUEST);
  }

  static boolean relayed(Stream stream) {
    Connection c = stream.connection();
    return c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT) || c.limited();
  }
}
