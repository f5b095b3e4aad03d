package org.lotusia.p2p.coordinator.discovery;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.lotusia.chain.crypto.EcPoint;

/**
 * The newest accepted version of each advertisement, for replay prevention: a version older than
 * it (or of the same {@code createdAt} with other signed content) is a replay. Looking a version
 * up never changes anything, so validating the same advertisement twice gives the same answer
 * (lotus-sdk recorded every lookup and called the second one a replay). Bounded: beyond {@code
 * max} the version remembered longest ago is forgotten. Not thread-safe: the validator guards it.
 */
final class ReplayGuard {

  /** One remembered version. */
  record Seen(long createdAt, byte[] fingerprint, EcPoint signerKey) {
    boolean sameAs(byte[] other) {
      return Arrays.equals(fingerprint, other);
    }
  }

  private final int max;
  private final LinkedHashMap<AdvertisementKey, Seen> seen = new LinkedHashMap<>();

  ReplayGuard(int max) {
    this.max = max;
  }

  Seen get(AdvertisementKey key) {
    return seen.get(key);
  }

  void accept(AdvertisementKey key, long createdAt, byte[] fingerprint, EcPoint signerKey) {
    Seen prev = seen.get(key);
    if (prev != null && prev.createdAt() > createdAt) {
      return; // a newer version was accepted meanwhile
    }
    seen.remove(key);
    if (seen.size() >= max) {
      Iterator<AdvertisementKey> eldest = seen.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    seen.put(key, new Seen(createdAt, fingerprint, signerKey));
  }

  /** Forgets versions created before {@code oldestMillis}: they are refused as too old anyway. */
  int forgetBefore(long oldestMillis) {
    int n = 0;
    for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next().createdAt() < oldestMillis) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  int size() {
    return seen.size();
  }
}
