package org.lotusia.chain.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.lotusia.chain.crypto.BouncyCastleSecp256k1;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.NativeSecp256k1;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

/**
 * Single-threaded throughput of the chain primitives: ECDSA and Lotus Schnorr sign/verify, and the
 * sighash of every input of a 100-input transaction (SIGHASH_LOTUS and BIP143), then Lotus Schnorr
 * verification, {@code a*G + b*Q}, {@code k*G}, point decoding and a 50-point multi-scalar
 * multiplication on each secp256k1 provider that loads here (BouncyCastle and libsecp256k1). Prints
 * operations per wall-clock second and per CPU-second of the benchmark thread; each figure is the
 * best of five timed rounds after a warm-up.
 *
 * <p>Run: {@code java -cp <test classpath> org.lotusia.chain.bench.ChainBench [seconds-per-round]}
 */
public final class ChainBench {

  private ChainBench() {}

  interface Op {
    void run(int i) throws Exception;
  }

  private static volatile Object sink;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * Runs {@code op} for a warm-up round and five timed rounds; prints the best wall-clock rate and
   * the best rate per CPU-second of this thread (the latter is what one dedicated core would do,
   * and is robust against other processes sharing the machine). Returns the per-CPU-second rate.
   */
  static double measure(String name, double roundSeconds, Op op) throws Exception {
    long warmEnd = System.nanoTime() + (long) (roundSeconds * 1e9);
    int i = 0;
    while (System.nanoTime() < warmEnd) {
      op.run(i++);
    }
    double bestWall = 0;
    double bestCpu = 0;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long end = start + (long) (roundSeconds * 1e9);
      int n = 0;
      long now;
      do {
        op.run(i++);
        n++;
        now = System.nanoTime();
      } while (now < end);
      long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
      bestWall = Math.max(bestWall, n / ((now - start) / 1e9));
      bestCpu = Math.max(bestCpu, n / (cpu / 1e9));
    }
    System.out.printf(
        "%-46s %10.0f ops/s wall %10.0f ops/cpu-s %9.1f us/op(cpu)%n",
        name, bestWall, bestCpu, 1e6 / bestCpu);
    return bestCpu;
  }

  public static void main(String[] args) throws Exception {
    double secs = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    System.out.printf(
        "JDK %s (%s), %d CPUs available%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors());
    Secp256k1Provider ec = Secp256k1.defaultProvider();
    System.out.println("default secp256k1 provider: " + Secp256k1.defaultProviderChoice());
    Random rnd = new Random(1);
    int keys = 64;
    PrivateKey[] priv = new PrivateKey[keys];
    byte[][] msgs = new byte[keys][32];
    byte[][] schnorrSigs = new byte[keys][];
    BigInteger[][] ecdsaSigs = new BigInteger[keys][];
    byte[][] pub33 = new byte[keys][];
    for (int k = 0; k < keys; k++) {
      priv[k] = PrivateKey.of(new BigInteger(255, rnd).add(BigInteger.ONE));
      rnd.nextBytes(msgs[k]);
      schnorrSigs[k] = priv[k].signSchnorr(msgs[k]);
      ecdsaSigs[k] = ec.ecdsaSign(priv[k].secret(), msgs[k]);
      pub33[k] = priv[k].publicKeyBytes();
    }
    // Fresh point objects so the verify figures include no cached provider conversion of the key.
    measure("mulG (default provider)", secs, i -> sink = ec.mulG(priv[i & 63].secret()));
    measure(
        "ECDSA sign (RFC 6979, low S)",
        secs,
        i -> sink = ec.ecdsaSign(priv[i & 63].secret(), msgs[i & 63]));
    measure(
        "ECDSA verify (decoded key)",
        secs,
        i -> {
          int k = i & 63;
          if (!ec.ecdsaVerify(ecdsaSigs[k][0], ecdsaSigs[k][1], priv[k].publicKey(), msgs[k])) {
            throw new IllegalStateException();
          }
        });
    measure(
        "Lotus Schnorr sign (PrivateKey, cached pubkey)",
        secs,
        i -> sink = priv[i & 63].signSchnorr(msgs[i & 63]));
    measure(
        "Lotus Schnorr verify (decoded key)",
        secs,
        i -> {
          int k = i & 63;
          if (!LotusSchnorr.verify(schnorrSigs[k], priv[k].publicKey(), msgs[k])) {
            throw new IllegalStateException();
          }
        });
    measure(
        "Lotus Schnorr verify (33-byte key, decode)",
        secs,
        i -> {
          int k = i & 63;
          if (!LotusSchnorr.verify(schnorrSigs[k], pub33[k], msgs[k])) {
            throw new IllegalStateException();
          }
        });
    measure("point decode (33 bytes)", secs, i -> sink = ec.decode(pub33[i & 63]));
    EcPoint[] points = new EcPoint[keys];
    for (int k = 0; k < keys; k++) {
      points[k] = priv[k].publicKey();
    }
    measure("EcPoint.hasSquareY (Jacobi symbol)", secs, i -> sink = points[i & 63].hasSquareY());

    // Baselines measured in the same run (same machine load): BouncyCastle used directly.
    X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
    ECDomainParameters dom = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN());
    ECPoint g = x9.getG();
    ECPoint[] bcPub = new ECPoint[keys];
    for (int k = 0; k < keys; k++) {
      bcPub[k] = x9.getCurve().decodePoint(pub33[k]);
    }
    measure(
        "baseline: BC sumOfTwoMultiplies + normalize",
        secs,
        i ->
            sink =
                ECAlgorithms.sumOfTwoMultiplies(
                        g, priv[i & 63].secret(), bcPub[(i + 1) & 63], priv[(i + 2) & 63].secret())
                    .normalize());
    measure(
        "baseline: BC ECDSASigner verify",
        secs,
        i -> {
          int k = i & 63;
          ECDSASigner v = new ECDSASigner();
          v.init(false, new ECPublicKeyParameters(bcPub[k], dom));
          if (!v.verifySignature(msgs[k], ecdsaSigs[k][0], ecdsaSigs[k][1])) {
            throw new IllegalStateException();
          }
        });

    perProvider(secs, rnd, schnorrSigs, pub33, msgs);

    Transaction tx = hundredInputs(rnd);
    List<TxOutput> spent = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      spent.add(new TxOutput(100_000 + k, Scripts.p2pkh(priv[k & 63].publicKey())));
    }
    Script code = spent.get(0).script();
    double lotus =
        measure(
            "SIGHASH_LOTUS, all 100 inputs (1 tx)",
            secs,
            i -> {
              SigHasher h = new SigHasher(tx, spent);
              for (int k = 0; k < 100; k++) {
                sink = h.lotus(k, SigHashType.ALL_LOTUS);
              }
            });
    double bip =
        measure(
            "BIP143 0x41, all 100 inputs (1 tx)",
            secs,
            i -> {
              SigHasher h = new SigHasher(tx, spent);
              for (int k = 0; k < 100; k++) {
                sink = h.bip143(k, code, spent.get(k).value(), SigHashType.ALL_FORKID);
              }
            });
    System.out.printf(
        "  per input: SIGHASH_LOTUS %.1f us, BIP143 %.1f us%n", 1e6 / lotus / 100, 1e6 / bip / 100);
    measure(
        "SIGHASH_LOTUS, one input, fresh hasher",
        secs,
        i -> sink = new SigHasher(tx, spent).lotus(i % 100, 0x61));
    measure("Lotus txid of the 100-input tx", secs, i -> sink = tx.txidBytes());
    EcPoint unused = ec.mulG(BigInteger.TEN);
    sink = unused;
  }

  /**
   * The operations a provider decides, on each provider that loads: the Lotus Schnorr verification
   * of a MuSig2 session's messages, its core {@code a*G + b*Q}, key and nonce derivation, point
   * decoding and key aggregation's multi-scalar multiplication. Keys are decoded by the provider
   * under test, so its own cached representation is used.
   */
  private static void perProvider(
      double secs, Random rnd, byte[][] sigs, byte[][] pub33, byte[][] msgs) throws Exception {
    List<Secp256k1Provider> providers = new ArrayList<>();
    providers.add(BouncyCastleSecp256k1.instance());
    if (NativeSecp256k1.isAvailable()) {
      providers.add(NativeSecp256k1.instance());
    } else {
      System.out.println("native secp256k1 unavailable: " + NativeSecp256k1.unavailableReason().get());
    }
    int keys = pub33.length;
    BigInteger[] scalars = new BigInteger[keys];
    for (int k = 0; k < keys; k++) {
      scalars[k] = new BigInteger(256, rnd).mod(Secp256k1.N);
    }
    for (Secp256k1Provider p : providers) {
      String id = p instanceof NativeSecp256k1 ? "native" : "bouncycastle";
      EcPoint[] points = new EcPoint[keys];
      for (int k = 0; k < keys; k++) {
        points[k] = p.decode(pub33[k]);
      }
      measure(
          "[" + id + "] Lotus Schnorr verify",
          secs,
          i -> {
            int k = i & 63;
            if (!LotusSchnorr.verify(p, sigs[k], points[k], msgs[k])) {
              throw new IllegalStateException();
            }
          });
      measure(
          "[" + id + "] mulAdd a*G + b*Q",
          secs,
          i -> sink = p.mulAdd(scalars[i & 63], scalars[(i + 1) & 63], points[(i + 2) & 63]));
      measure("[" + id + "] mulG", secs, i -> sink = p.mulG(scalars[i & 63]));
      measure("[" + id + "] mul k*P", secs, i -> sink = p.mul(points[i & 63], scalars[(i + 1) & 63]));
      measure("[" + id + "] point decode (33 bytes)", secs, i -> sink = p.decode(pub33[i & 63]));
      EcPoint[] fifty = java.util.Arrays.copyOf(points, 50);
      BigInteger[] fiftyK = java.util.Arrays.copyOf(scalars, 50);
      measure("[" + id + "] sumOfMultiplies, 50 points", secs, i -> sink = p.sumOfMultiplies(fifty, fiftyK));
    }
  }

  private static Transaction hundredInputs(Random rnd) {
    List<TxInput> ins = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      byte[] id = new byte[32];
      rnd.nextBytes(id);
      ins.add(new TxInput(new OutPoint(id, k), Script.of(new byte[107]), 0xffffffffL));
    }
    List<TxOutput> outs = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      byte[] h = new byte[20];
      rnd.nextBytes(h);
      outs.add(new TxOutput(50_000, Scripts.p2pkh(h)));
    }
    return new Transaction(2, ins, outs, 0);
  }
}
