package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * The pools of one manager: those it hosts as creator, those it takes part in, and the
 * announcements of other nodes it knows, with the limit on pools at once. Confined to the service
 * thread.
 */
final class PoolTable {

  private final Map<String, HostedPool> hosted = new HashMap<>();
  private final Map<String, Participation> joined = new HashMap<>();
  private final PoolDirectory discovered;
  private final int maxPools;

  PoolTable(int maxDiscovered, int maxPools) {
    this.discovered = new PoolDirectory(maxDiscovered);
    this.maxPools = maxPools;
  }

  HostedPool hosted(String poolId) {
    return hosted.get(poolId);
  }

  Participation joined(String poolId) {
    return joined.get(poolId);
  }

  PoolDirectory discovered() {
    return discovered;
  }

  void addHosted(HostedPool p) {
    checkCapacity();
    hosted.put(p.poolId(), p);
  }

  void addJoined(Participation p) {
    if (joined.containsKey(p.poolId())) {
      throw new IllegalStateException("already taking part in pool " + p.poolId());
    }
    for (Participation other : joined.values()) {
      if (other.input().equals(p.input())) {
        // two pools would both try to spend it; one would fail after the other had funded
        throw new IllegalStateException(
            "coin " + p.input() + " is already registered in pool " + other.poolId());
      }
    }
    checkCapacity();
    joined.put(p.poolId(), p);
  }

  void removeHosted(String poolId) {
    hosted.remove(poolId);
  }

  void removeJoined(String poolId) {
    joined.remove(poolId);
  }

  /** An announcement this node hosts or heard, unexpired; null when unknown. */
  PoolAnnouncement known(String poolId, long now) {
    HostedPool h = hosted.get(poolId);
    return h != null ? h.announcement() : discovered.get(poolId, now);
  }

  List<PoolAnnouncement> hostedAnnouncements() {
    return hosted.values().stream().map(HostedPool::announcement).toList();
  }

  void checkCapacity() {
    if (hosted.size() + joined.size() >= maxPools) {
      throw new IllegalStateException(
          "at most " + maxPools + " pools at once (SwapSigConfig.maxPools)");
    }
  }

  /** Ends every pool (the manager closes). */
  void closeAll() {
    new ArrayList<>(joined.values()).forEach(Participation::close);
    new ArrayList<>(hosted.values()).forEach(HostedPool::finish);
    joined.clear();
    hosted.clear();
  }
}
