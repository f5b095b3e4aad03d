package org.lotusia.libp2p.internal.host;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lotusia.libp2p.ResourceLimits;

/**
 * Admission of inbound sockets before their upgrade: a token bucket per remote IP on the host's
 * clock, counts of not-yet-upgraded connections per IP, per subnet and in total (see {@link
 * ResourceLimits}). An admitted socket holds a {@link Permit} until its upgrade ends, whatever the
 * outcome.
 *
 * <p>IPv4 addresses are keyed by address, IPv6 ones by their /64 prefix (one host or one LAN
 * usually owns a whole /64, so a per-address limit would be no limit). Subnets are IPv4 /24s and
 * IPv6 /48s. Sockets without an IP (the in-memory transport) meet only the total limit.
 *
 * <p>Bounded: the pending maps hold only keys with a pending connection, so at most {@code
 * maxPendingInbound} entries; the rate table is an LRU map of at most {@code maxTrackedIps}
 * entries. Thread-safe: everything is guarded by {@code this}; the work per socket is a few map
 * operations, cheap enough for the event loop that accepts it.
 */
final class InboundAdmission {

  /** Why a socket was refused. */
  enum Refusal {
    RATE,
    PENDING_PER_IP,
    PENDING_PER_SUBNET,
    PENDING_TOTAL
  }

  private final ResourceLimits limits;
  private final Clock clock;
  private final Map<InetAddress, Integer> pendingByIp = new HashMap<>();
  private final Map<InetAddress, Integer> pendingBySubnet = new HashMap<>();
  private final LinkedHashMap<InetAddress, Bucket> buckets;
  private int pending;

  InboundAdmission(ResourceLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    int maxTracked = limits.maxTrackedIps();
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            // Forgetting an address gives it a full bucket again: the table stays bounded however
            // many addresses connect.
            return size() > maxTracked;
          }
        };
  }

  /** The outcome of {@link #admit}: a permit, or the reason of the refusal. */
  record Decision(Permit permit, Refusal refusal) {}

  /** Admits a socket from {@code remote}, or says which limit refused it. */
  synchronized Decision admit(SocketAddress remote) {
    InetAddress key = key(remote);
    if (key != null && !takeToken(key)) {
      return new Decision(null, Refusal.RATE);
    }
    if (key != null && pendingByIp.getOrDefault(key, 0) >= limits.maxPendingInboundPerIp()) {
      return new Decision(null, Refusal.PENDING_PER_IP);
    }
    InetAddress subnet = key == null ? null : subnet(key);
    if (subnet != null
        && pendingBySubnet.getOrDefault(subnet, 0) >= limits.maxPendingInboundPerSubnet()) {
      return new Decision(null, Refusal.PENDING_PER_SUBNET);
    }
    if (pending >= limits.maxPendingInbound()) {
      return new Decision(null, Refusal.PENDING_TOTAL);
    }
    pending++;
    if (key != null) {
      pendingByIp.merge(key, 1, Integer::sum);
      pendingBySubnet.merge(subnet, 1, Integer::sum);
    }
    return new Decision(new Permit(key, subnet), null);
  }

  /** Inbound connections in their upgrade now. */
  synchronized int pending() {
    return pending;
  }

  /** Addresses the rate table remembers now; at most {@code maxTrackedIps}. */
  synchronized int trackedIps() {
    return buckets.size();
  }

  private synchronized void release(InetAddress key, InetAddress subnet) {
    pending--;
    if (key != null) {
      pendingByIp.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
      pendingBySubnet.computeIfPresent(subnet, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  private boolean takeToken(InetAddress key) {
    long now = clock.millis();
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket(limits.inboundBurstPerIp(), now);
      buckets.put(key, b);
    }
    // A clock stepped backwards adds nothing rather than taking tokens away.
    long elapsed = Math.max(0, now - b.updatedMillis);
    b.tokens =
        Math.min(limits.inboundBurstPerIp(), b.tokens + elapsed * limits.inboundRatePerIp() / 1000.0);
    b.updatedMillis = Math.max(b.updatedMillis, now);
    if (b.tokens < 1.0) {
      return false;
    }
    b.tokens -= 1.0;
    return true;
  }

  /** The rate and pending key of {@code remote}: its IPv4 address or IPv6 /64, or null. */
  static InetAddress key(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return null;
    }
    InetAddress ip = inet.getAddress();
    if (!(ip instanceof Inet6Address)) {
      return ip;
    }
    return prefix(ip, 8);
  }

  /** The subnet of a key of {@link #key}: its IPv4 /24 or IPv6 /48. */
  static InetAddress subnet(InetAddress key) {
    return prefix(key, key instanceof Inet6Address ? 6 : 3);
  }

  /** {@code ip} with every byte from {@code keep} on set to zero. */
  private static InetAddress prefix(InetAddress ip, int keep) {
    byte[] bytes = ip.getAddress();
    java.util.Arrays.fill(bytes, keep, bytes.length, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
    }
  }

  /** A token bucket of one address; guarded by the admission's lock. */
  private static final class Bucket {
    double tokens;
    long updatedMillis;

    Bucket(double tokens, long updatedMillis) {
      this.tokens = tokens;
      this.updatedMillis = updatedMillis;
    }
  }

  /** A pending slot held by one admitted socket; {@link #release()} is idempotent. */
  final class Permit {
    private final InetAddress key;
    private final InetAddress subnet;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(InetAddress key, InetAddress subnet) {
      this.key = key;
      this.subnet = subnet;
    }

    /** Gives the slot back; later calls do nothing. */
    void release() {
      if (released.compareAndSet(false, true)) {
        InboundAdmission.this.release(key, subnet);
      }
    }
  }
}
