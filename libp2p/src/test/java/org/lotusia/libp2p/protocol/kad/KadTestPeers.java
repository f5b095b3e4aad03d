package org.lotusia.libp2p.protocol.kad;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;

/** Random peer IDs for the DHT unit tests. */
final class KadTestPeers {
  private KadTestPeers() {}

  static PeerId random() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  static List<PeerId> random(int n) {
    List<PeerId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(random());
    }
    return out;
  }

  /** A peer whose key shares exactly {@code cpl} leading bits with {@code self}'s key. */
  static PeerId withCommonPrefix(PeerId self, int cpl) {
    KadKey s = KadKey.of(self);
    while (true) {
      PeerId p = random();
      if (s.commonPrefixLength(KadKey.of(p)) == cpl) {
        return p;
      }
    }
  }
}
