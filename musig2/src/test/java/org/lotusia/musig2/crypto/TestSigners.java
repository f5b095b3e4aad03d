package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lotusia.chain.crypto.Secp256k1;

/** Random signer keys and full in-memory sessions for tests. */
final class TestSigners {
  final List<byte[]> secretKeys = new ArrayList<>();
  final List<byte[]> publicKeys = new ArrayList<>();

  TestSigners(int n, Random rnd) {
    for (int i = 0; i < n; i++) {
      byte[] sk;
      BigInteger d;
      do {
        sk = new byte[32];
        rnd.nextBytes(sk);
        d = new BigInteger(1, sk);
      } while (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0);
      secretKeys.add(sk);
      publicKeys.add(Secp256k1.defaultProvider().mulG(d).encodeCompressed());
    }
  }

  /** One session per signer, nonces exchanged, not yet signed. */
  List<MuSig2Session> sessionsWithNonces(
      MuSig2Session.Variant variant, byte[] msg, boolean taproot, SecureRandom rng) {
    List<MuSig2Session> sessions = new ArrayList<>();
    for (byte[] sk : secretKeys) {
      MuSig2Session.Builder b =
          MuSig2Session.builder()
              .variant(variant)
              .publicKeys(publicKeys)
              .secretKey(sk)
              .message(msg)
              .random(rng);
      if (taproot) {
        b.taproot();
      }
      sessions.add(b.build());
    }
    List<byte[]> nonces = new ArrayList<>();
    for (MuSig2Session s : sessions) {
      nonces.add(s.generateNonce());
    }
    for (int i = 0; i < sessions.size(); i++) {
      for (int j = 0; j < sessions.size(); j++) {
        if (i != j) {
          sessions.get(i).receiveNonce(sessions.get(j).localIndex(), nonces.get(j));
        }
      }
    }
    return sessions;
  }
}
