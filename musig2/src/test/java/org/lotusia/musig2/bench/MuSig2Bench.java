package org.lotusia.musig2.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.musig2.crypto.AggregateNonce;
import org.lotusia.musig2.crypto.Bip327KeyAggContext;
import org.lotusia.musig2.crypto.Bip327MuSig2;
import org.lotusia.musig2.crypto.Bip327SessionValues;
import org.lotusia.musig2.crypto.Bip340;
import org.lotusia.musig2.crypto.LotusKeyAggContext;
import org.lotusia.musig2.crypto.LotusMuSig2;
import org.lotusia.musig2.crypto.LotusSessionValues;
import org.lotusia.musig2.crypto.MuSig2Session;
import org.lotusia.musig2.crypto.PublicNonce;
import org.lotusia.musig2.crypto.SecretNonce;

/**
 * MuSig2 compute benchmark (BouncyCastle provider), single thread.
 *
 * <p>"Whole session" = everything all n parties compute, simulated in one thread (coordinator
 * model): KeyAgg (not cached), n NonceGen, NonceAgg, session values, n partial signatures (each
 * verified by its signer before release), n partial verifications by the aggregator, aggregation
 * and final signature verification. "Session objects" = n {@link MuSig2Session}s that each do the
 * full per-signer work (own KeyAgg, nonce, verify all other partials, aggregate and verify).
 * Figures are medians of 5 measurement rounds after warm-up, in thread CPU time and wall time.
 *
 * <p>Run: {@code java -cp <test-classpath> org.lotusia.musig2.bench.MuSig2Bench
 * [seconds-per-round]}
 */
public final class MuSig2Bench {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static double roundSeconds = 1.0;
  private static long sink;

  private MuSig2Bench() {}

  public static void main(String[] args) {
    if (args.length > 0) {
      roundSeconds = Double.parseDouble(args[0]);
    }
    System.out.printf(
        "# MuSig2Bench java=%s vm=%s cpus=%d provider=%s%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        Secp256k1.defaultProvider().getClass().getSimpleName());
    Secp256k1Provider curve = Secp256k1.defaultProvider();
    LotusMuSig2 lotus = new LotusMuSig2(curve);
    Bip327MuSig2 bip = new Bip327MuSig2(curve);
    Bip340 bip340 = new Bip340(curve);
    SecureRandom rng = new SecureRandom();
    byte[][] msgs = new byte[256][32];
    for (byte[] m : msgs) {
      rng.nextBytes(m);
    }

    for (int n : new int[] {2, 5, 10, 50}) {
      Keys k = new Keys(n, rng);
      bench(
          "LOTUS  whole " + n + "-of-" + n + " session (all parties)",
          i -> lotusSession(lotus, k, msgs[i & 255], rng));
      bench(
          "BIP327 whole " + n + "-of-" + n + " session (all parties)",
          i -> bipSession(bip, bip340, k, msgs[i & 255], rng));
    }
    for (int n : new int[] {2, 5, 10}) {
      Keys k = new Keys(n, rng);
      for (MuSig2Session.Variant v : MuSig2Session.Variant.values()) {
        bench(
            String.format("%-6s %d-of-%d via MuSig2Session objects (all parties)", v, n, n),
            i -> sessionObjects(v, k, msgs[i & 255], rng));
      }
    }

    // per-operation rates, 2-of-2 context
    Keys k2 = new Keys(2, rng);
    LotusKeyAggContext lctx = lotus.keyAgg(k2.pks);
    bench("LOTUS  KeyAgg n=2", i -> lotus.keyAgg(k2.pks).size());
    int lidx = lctx.indexOf(k2.pks.get(0));
    bench(
        "LOTUS  NonceGen (signer index known)",
        i -> lotus.nonceGen(k2.sks.get(0), lidx, lctx, msgs[i & 255], null, rng).hashCode());
    List<PublicNonce> lpub = new ArrayList<>();
    List<SecretNonce> lsec = new ArrayList<>();
    for (byte[] sk : k2.sks) {
      SecretNonce s =
          lotus.nonceGen(sk, lctx.indexOf(k2.pks.get(lsec.size())), lctx, msgs[0], null, rng);
      lsec.add(s);
      lpub.add(s.publicNonce());
    }
    AggregateNonce lagg = lotus.nonceAgg(lpub);
    LotusSessionValues lsv = lotus.sessionValues(lctx, lagg, msgs[0]);
    bench(
        "LOTUS  session values (b, R, e)",
        i -> lotus.sessionValues(lctx, lagg, msgs[0]).hashCode());
    int idx0 = lctx.indexOf(k2.pks.get(0));
    byte[] lps = lotus.partialSign(lsec.get(0), k2.sks.get(0), lctx, lsv);
    benchSignLotus(lotus, lctx, k2, lagg, msgs[0], rng);
    bench(
        "LOTUS  partial verify",
        i -> lotus.partialVerify(lps, lpub.get(0), lctx, idx0, lsv) ? 1 : 0);

    Bip327KeyAggContext bctx = bip.keyAgg(Bip327MuSig2.keySort(k2.pks));
    List<PublicNonce> bpub = new ArrayList<>();
    List<SecretNonce> bsec = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      SecretNonce s =
          bip.nonceGen(k2.sks.get(j), k2.pks.get(j), bctx.xOnlyKey(), msgs[0], null, rng);
      bsec.add(s);
      bpub.add(s.publicNonce());
    }
    AggregateNonce bagg = bip.nonceAggDecoded(bpub);
    Bip327SessionValues bsv = bip.sessionValues(bctx, bagg, msgs[0]);
    byte[] bps = bip.sign(bsec.get(0), k2.sks.get(0), bctx, bsv);
    int bidx0 = bctx.indexOf(k2.pks.get(0));
    benchSignBip327(bip, bctx, k2, bagg, msgs[0], rng);
    bench(
        "BIP327 NonceGen",
        i ->
            bip.nonceGen(k2.sks.get(0), k2.pks.get(0), bctx.xOnlyKey(), msgs[i & 255], null, rng)
                .hashCode());
    bench(
        "BIP327 partial verify",
        i -> bip.partialVerify(bps, bpub.get(0), bctx, bidx0, bsv) ? 1 : 0);
    System.out.println("# done sink=" + sink);
  }

  private static void benchSignLotus(
      LotusMuSig2 lotus,
      LotusKeyAggContext ctx,
      Keys k,
      AggregateNonce agg,
      byte[] msg,
      SecureRandom rng) {
    // Partial signing consumes a nonce, so pre-generate a pool of nonces for signer 0 and time
    // signing only.
    // The aggregate nonce stays fixed: the timed work (k1 + b*k2, e*a*d, self-verification) is the
    // same.
    int pool = 4000;
    SecretNonce[] nonces = new SecretNonce[pool];
    LotusSessionValues[] values = new LotusSessionValues[pool];
    for (int i = 0; i < pool; i++) {
      nonces[i] = lotus.nonceGen(k.sks.get(0), ctx.indexOf(k.pks.get(0)), ctx, msg, null, rng);
      AggregateNonce a =
          lotus.nonceAgg(List.of(nonces[i].publicNonce(), new PublicNonce(agg.r1(), agg.r2())));
      values[i] = lotus.sessionValues(ctx, a, msg);
    }
    int[] next = {0};
    measureFixed(
        "LOTUS  partial sign (incl. self-verify)",
        pool,
        i -> {
          int j = next[0]++;
          return lotus.partialSign(nonces[j], k.sks.get(0), ctx, values[j])[0];
        });
  }

  private static void benchSignBip327(
      Bip327MuSig2 bip,
      Bip327KeyAggContext ctx,
      Keys k,
      AggregateNonce agg,
      byte[] msg,
      SecureRandom rng) {
    int pool = 4000;
    SecretNonce[] nonces = new SecretNonce[pool];
    Bip327SessionValues[] values = new Bip327SessionValues[pool];
    for (int i = 0; i < pool; i++) {
      nonces[i] = bip.nonceGen(k.sks.get(0), k.pks.get(0), ctx.xOnlyKey(), msg, null, rng);
      AggregateNonce a =
          bip.nonceAggDecoded(
              List.of(nonces[i].publicNonce(), new PublicNonce(agg.r1(), agg.r2())));
      values[i] = bip.sessionValues(ctx, a, msg);
    }
    int[] next = {0};
    measureFixed(
        "BIP327 partial sign (incl. self-verify)",
        pool,
        i -> {
          int j = next[0]++;
          return bip.sign(nonces[j], k.sks.get(0), ctx, values[j])[0];
        });
  }

  private static long lotusSession(LotusMuSig2 lotus, Keys k, byte[] msg, SecureRandom rng) {
    int n = k.n;
    LotusKeyAggContext ctx = lotus.keyAgg(k.pks);
    SecretNonce[] sec = new SecretNonce[n];
    List<PublicNonce> pub = new ArrayList<>(n);
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = ctx.indexOf(k.pks.get(i));
      sec[i] = lotus.nonceGen(k.sks.get(i), index[i], ctx, msg, null, rng);
      pub.add(sec[i].publicNonce());
    }
    AggregateNonce agg = lotus.nonceAgg(pub);
    LotusSessionValues sv = lotus.sessionValues(ctx, agg, msg);
    byte[][] psig = new byte[n][];
    for (int i = 0; i < n; i++) {
      psig[index[i]] = lotus.partialSign(sec[i], k.sks.get(i), ctx, index[i], sv);
    }
    for (int i = 0; i < n; i++) {
      lotus.requireValidPartial(psig[index[i]], pub.get(i), ctx, index[i], sv);
    }
    return lotus.aggregate(Arrays.asList(psig), ctx, sv)[7];
  }

  private static long bipSession(
      Bip327MuSig2 bip, Bip340 bip340, Keys k, byte[] msg, SecureRandom rng) {
    int n = k.n;
    Bip327KeyAggContext ctx = bip.keyAgg(k.pks);
    byte[] xq = ctx.xOnlyKey();
    SecretNonce[] sec = new SecretNonce[n];
    List<PublicNonce> pub = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sec[i] = bip.nonceGen(k.sks.get(i), k.pks.get(i), xq, msg, null, rng);
      pub.add(sec[i].publicNonce());
    }
    AggregateNonce agg = bip.nonceAggDecoded(pub);
    Bip327SessionValues sv = bip.sessionValues(ctx, agg, msg);
    List<byte[]> psig = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      psig.add(bip.sign(sec[i], k.sks.get(i), ctx, sv));
    }
    for (int i = 0; i < n; i++) {
      if (!bip.partialVerify(psig.get(i), pub.get(i), ctx, i, sv)) {
        throw new IllegalStateException("partial " + i);
      }
    }
    byte[] sig = bip.partialSigAgg(psig, ctx, sv);
    if (!bip340.verify(xq, msg, sig)) {
      throw new IllegalStateException("final signature invalid");
    }
    return sig[7];
  }

  private static long sessionObjects(
      MuSig2Session.Variant v, Keys k, byte[] msg, SecureRandom rng) {
    int n = k.n;
    MuSig2Session[] s = new MuSig2Session[n];
    byte[][] nonces = new byte[n][];
    for (int i = 0; i < n; i++) {
      s[i] =
          MuSig2Session.builder()
              .variant(v)
              .publicKeys(k.pks)
              .secretKey(k.sks.get(i))
              .message(msg)
              .random(rng)
              .build();
      nonces[i] = s[i].generateNonce();
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          s[i].receiveNonce(s[j].localIndex(), nonces[j]);
        }
      }
    }
    byte[][] ps = new byte[n][];
    for (int i = 0; i < n; i++) {
      ps[i] = s[i].sign();
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          s[i].receivePartialSignature(s[j].localIndex(), ps[j]);
        }
      }
    }
    return s[0].finalSignature()[3];
  }

  // --- harness

  private static void bench(String name, IntToLongFunction op) {
    bench(name, op, true);
  }

  private static void bench(String name, IntToLongFunction op, boolean run) {
    if (!run) {
      return;
    }
    long warmEnd = System.nanoTime() + (long) (roundSeconds * 3e9);
    int i = 0;
    while (System.nanoTime() < warmEnd) {
      sink += op.applyAsLong(i++);
    }
    double[] cpu = new double[5];
    double[] wall = new double[5];
    for (int r = 0; r < 5; r++) {
      long end = System.nanoTime() + (long) (roundSeconds * 1e9);
      long c0 = MX.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      int ops = 0;
      while (System.nanoTime() < end) {
        sink += op.applyAsLong(i++);
        ops++;
      }
      cpu[r] = (MX.getCurrentThreadCpuTime() - c0) / 1e3 / ops;
      wall[r] = (System.nanoTime() - w0) / 1e3 / ops;
    }
    report(name, cpu, wall);
  }

  private static void measureFixed(String name, int count, IntToLongFunction op) {
    int warm = count / 4;
    for (int i = 0; i < warm; i++) {
      sink += op.applyAsLong(i);
    }
    int per = (count - warm) / 5;
    double[] cpu = new double[5];
    double[] wall = new double[5];
    for (int r = 0; r < 5; r++) {
      long c0 = MX.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      for (int j = 0; j < per; j++) {
        sink += op.applyAsLong(j);
      }
      cpu[r] = (MX.getCurrentThreadCpuTime() - c0) / 1e3 / per;
      wall[r] = (System.nanoTime() - w0) / 1e3 / per;
    }
    report(name, cpu, wall);
  }

  private static void report(String name, double[] cpu, double[] wall) {
    Arrays.sort(cpu);
    Arrays.sort(wall);
    double c = cpu[2];
    System.out.printf(
        "RESULT | %-62s | cpu %9.1f us (%8.3f ms) | %9.0f /s | wall %9.1f us%n",
        name, c, c / 1000, 1e6 / c, wall[2]);
  }

  /** Random signer keys. */
  private static final class Keys {
    final int n;
    final List<byte[]> sks = new ArrayList<>();
    final List<byte[]> pks = new ArrayList<>();

    Keys(int n, SecureRandom rng) {
      this.n = n;
      for (int i = 0; i < n; i++) {
        BigInteger d;
        byte[] sk = new byte[32];
        do {
          rng.nextBytes(sk);
          d = new BigInteger(1, sk);
        } while (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0);
        sks.add(sk.clone());
        pks.add(Secp256k1.defaultProvider().mulG(d).encodeCompressed());
      }
    }
  }
}
