package org.lotusia.libp2p.internal.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lotusia.libp2p.AddressManager;
import org.lotusia.libp2p.AddressScope;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link AddressManager}: listen, announce, no-announce, observed, ip-mapping and relay
 * addresses and the verdicts about them; computes the advertised set and tells the host (identify
 * push) and the listeners when it changes.
 *
 * <p>Thread-safe: the mutable state is guarded by {@code this}; listeners and the push run outside
 * the lock, on the callback executor.
 */
final class HostAddresses implements AddressManager {

  private static final Logger LOG = LoggerFactory.getLogger(HostAddresses.class);
  static final int MAX_OBSERVED = 64;
  private static final int MAX_OBSERVERS = 16;
  private static final int MAX_VERDICTS = 256;

  private record Mapping(Multiaddr internal, boolean confirmed) {}

  private final HostImpl host;
  private final List<Multiaddr> announce;
  private final Set<Multiaddr> noAnnounce;
  private final Map<Multiaddr, Set<PeerId>> observed = new LinkedHashMap<>();
  private final Map<Multiaddr, Mapping> mappings = new LinkedHashMap<>();
  private final Map<Multiaddr, Verdict> verdicts = new LinkedHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private List<Multiaddr> lastAdvertised = List.of();

  HostAddresses(HostImpl host, List<Multiaddr> announce, List<Multiaddr> noAnnounce) {
    this.host = host;
    this.announce = announce.stream().map(Multiaddr::withoutPeerId).distinct().toList();
    Set<Multiaddr> no = new HashSet<>();
    for (Multiaddr a : noAnnounce) {
      no.add(a.withoutPeerId());
    }
    this.noAnnounce = Collections.unmodifiableSet(no);
  }

  @Override
  public List<Multiaddr> advertised() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : advertisedRaw()) {
      out.add(a.withPeerId(host.peerId()));
    }
    return out;
  }

  /** The advertised set without {@code /p2p/<self>}. */
  List<Multiaddr> advertisedRaw() {
    Set<Multiaddr> out = new LinkedHashSet<>(announce.isEmpty() ? listen() : announce);
    synchronized (this) {
      for (Multiaddr a : observed.keySet()) {
        if (verdicts.get(a) == Verdict.REACHABLE) {
          out.add(a);
        }
      }
      for (Map.Entry<Multiaddr, Mapping> m : mappings.entrySet()) {
        Verdict v = verdicts.getOrDefault(m.getKey(), Verdict.UNKNOWN);
        if (v == Verdict.REACHABLE || (m.getValue().confirmed() && v != Verdict.UNREACHABLE)) {
          out.add(m.getKey());
        }
      }
    }
    out.addAll(host.relaySupport().extraAddresses());
    out.removeIf(noAnnounce::contains);
    return List.copyOf(out);
  }

  /** The bound listen addresses, wildcards expanded to the interface addresses. */
  List<Multiaddr> listen() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : host.network().boundAddresses()) {
      out.addAll(expandWildcard(a));
    }
    return out;
  }

  @Override
  public List<Entry> entries() {
    Set<Multiaddr> adv = new HashSet<>(advertisedRaw());
    List<Entry> out = new ArrayList<>();
    for (Multiaddr a : listen()) {
      out.add(entry(a, Source.LISTEN, adv, 0));
    }
    for (Multiaddr a : announce) {
      out.add(entry(a, Source.ANNOUNCE, adv, 0));
    }
    synchronized (this) {
      for (Map.Entry<Multiaddr, Set<PeerId>> o : observed.entrySet()) {
        out.add(entry(o.getKey(), Source.OBSERVED, adv, o.getValue().size()));
      }
      for (Multiaddr a : mappings.keySet()) {
        out.add(entry(a, Source.IP_MAPPING, adv, 0));
      }
    }
    for (Multiaddr a : host.relaySupport().extraAddresses()) {
      out.add(entry(a, Source.RELAY, adv, 0));
    }
    return out;
  }

  private synchronized Entry entry(Multiaddr a, Source s, Set<Multiaddr> adv, int observers) {
    return new Entry(
        a, s, AddressScope.of(a), verdicts.getOrDefault(a, Verdict.UNKNOWN), adv.contains(a),
        observers);
  }

  @Override
  public List<Multiaddr> candidates() {
    Set<Multiaddr> out = new LinkedHashSet<>();
    for (Multiaddr a : announce.isEmpty() ? listen() : announce) {
      if (AddressScope.isPublic(a) && !a.has(MultiaddrProtocol.P2P_CIRCUIT)) {
        out.add(a);
      }
    }
    synchronized (this) {
      // most observed first: the address seen by most peers is the likeliest to be right
      observed.entrySet().stream()
          .sorted((x, y) -> Integer.compare(y.getValue().size(), x.getValue().size()))
          .map(Map.Entry::getKey)
          .filter(AddressScope::isPublic)
          .forEach(out::add);
      for (Multiaddr a : mappings.keySet()) {
        if (AddressScope.isPublic(a)) {
          out.add(a);
        }
      }
    }
    out.removeIf(noAnnounce::contains);
    return List.copyOf(out);
  }

  /**
   * Records that {@code observer} saw this host at {@code address} (identify's observed address).
   * Circuit addresses and addresses without an IP are ignored; at most {@value #MAX_OBSERVED}
   * addresses are kept, the least observed one is dropped for a new one.
   */
  void observed(Multiaddr address, PeerId observer) {
    Multiaddr a = address.withoutPeerId();
    if (a.has(MultiaddrProtocol.P2P_CIRCUIT) || AddressScope.ip(a).isEmpty()) {
      return;
    }
    synchronized (this) {
      Set<PeerId> seen = observed.get(a);
      if (seen == null) {
        if (observed.size() >= MAX_OBSERVED) {
          Multiaddr weakest = null;
          int least = Integer.MAX_VALUE;
          for (Map.Entry<Multiaddr, Set<PeerId>> e : observed.entrySet()) {
            if (e.getValue().size() < least && verdicts.get(e.getKey()) != Verdict.REACHABLE) {
              least = e.getValue().size();
              weakest = e.getKey();
            }
          }
          if (weakest == null) {
            return;
          }
          observed.remove(weakest);
        }
        seen = new LinkedHashSet<>();
        observed.put(a, seen);
      }
      if (seen.size() < MAX_OBSERVERS) {
        seen.add(observer);
      }
    }
  }

  /** The observed addresses (unverified), for {@link org.lotusia.libp2p.Host#observedAddresses}. */
  synchronized Set<Multiaddr> observedAddresses() {
    return Set.copyOf(observed.keySet());
  }

  @Override
  public void setVerdict(Multiaddr address, Verdict verdict) {
    Multiaddr a = address.withoutPeerId();
    synchronized (this) {
      verdicts.remove(a);
      if (verdicts.size() >= MAX_VERDICTS) {
        verdicts.remove(verdicts.keySet().iterator().next());
      }
      verdicts.put(a, verdict);
    }
    changed();
  }

  @Override
  public void addIpMapping(Multiaddr internal, Multiaddr external, boolean confirmed) {
    synchronized (this) {
      mappings.put(external.withoutPeerId(), new Mapping(internal.withoutPeerId(), confirmed));
    }
    changed();
  }

  @Override
  public void removeIpMapping(Multiaddr external) {
    synchronized (this) {
      mappings.remove(external.withoutPeerId());
    }
    changed();
  }

  @Override
  public void addListener(Runnable listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /**
   * Recomputes the advertised set; when it differs from the last one, pushes identify and tells
   * the listeners (on the callback executor).
   */
  void changed() {
    List<Multiaddr> now = advertisedRaw();
    synchronized (this) {
      if (now.equals(lastAdvertised)) {
        return;
      }
      lastAdvertised = now;
    }
    LOG.debug("advertised addresses of {} now {}", host.peerId(), now);
    host.advertisedChanged();
    for (Runnable l : listeners) {
      try {
        host.callbacks().execute(() -> {
          try {
            l.run();
          } catch (RuntimeException e) {
            LOG.warn("address listener {} threw; ignored", l, e);
          }
        });
      } catch (RuntimeException e) {
        LOG.debug("address listener not called: {}", e.toString());
      }
    }
  }

  /** {@code a} itself, or for a wildcard IP one address per interface address of its family. */
  static List<Multiaddr> expandWildcard(Multiaddr a) {
    var ip = AddressScope.ip(a);
    if (ip.isEmpty() || !ip.get().isAnyLocalAddress()) {
      return List.of(a);
    }
    boolean v4 = ip.get() instanceof Inet4Address;
    List<Multiaddr> out = new ArrayList<>();
    try {
      var nics = NetworkInterface.getNetworkInterfaces();
      while (nics != null && nics.hasMoreElements()) {
        NetworkInterface nic = nics.nextElement();
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress addr : Collections.list(nic.getInetAddresses())) {
          if ((v4 && addr instanceof Inet4Address)
              || (!v4 && addr instanceof Inet6Address && !addr.isLinkLocalAddress())) {
            out.add(replaceIp(a, addr));
          }
        }
      }
    } catch (SocketException e) {
      LOG.debug("interfaces not listed: {}", e.toString());
    }
    return out.isEmpty() ? List.of(a) : out;
  }

  private static Multiaddr replaceIp(Multiaddr a, InetAddress ip) {
    List<Multiaddr.Component> cs = new ArrayList<>(a.components());
    for (int i = 0; i < cs.size(); i++) {
      MultiaddrProtocol p = cs.get(i).protocol();
      if (p == MultiaddrProtocol.IP4 || p == MultiaddrProtocol.IP6) {
        String host = ip.getHostAddress();
        int zone = host.indexOf('%');
        cs.set(i, new Multiaddr.Component(p, zone >= 0 ? host.substring(0, zone) : host));
        break;
      }
    }
    return Multiaddr.of(cs);
  }
}
