package org.lotusia.chain.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;

class TransactionTest {

  static Transaction randomTx(Random rnd, int maxIn, int maxOut) {
    List<TxInput> ins = new ArrayList<>();
    int nIn = 1 + rnd.nextInt(maxIn);
    for (int i = 0; i < nIn; i++) {
      byte[] txid = new byte[32];
      rnd.nextBytes(txid);
      byte[] script = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 120)];
      rnd.nextBytes(script);
      ins.add(
          new TxInput(
              new OutPoint(txid, rnd.nextInt() & 0xffffffffL),
              Script.of(script),
              rnd.nextInt() & 0xffffffffL));
    }
    List<TxOutput> outs = new ArrayList<>();
    int nOut = rnd.nextInt(maxOut + 1);
    for (int i = 0; i < nOut; i++) {
      byte[] script = new byte[rnd.nextInt(60)];
      rnd.nextBytes(script);
      outs.add(
          new TxOutput((rnd.nextLong() & Long.MAX_VALUE) % Amount.MAX_MONEY, Script.of(script)));
    }
    return new Transaction(rnd.nextInt(), ins, outs, rnd.nextInt() & 0xffffffffL);
  }

  @Test
  void randomRoundTrips() {
    Random rnd = new Random(2024);
    for (int i = 0; i < 300; i++) {
      Transaction tx = randomTx(rnd, 6, 6);
      byte[] raw = tx.serialize();
      assertThat(raw).hasSize(tx.size());
      Transaction back = Transaction.parse(raw);
      assertThat(back).isEqualTo(tx);
      assertThat(back.serialize()).isEqualTo(raw);
      assertThat(back.txid()).isEqualTo(tx.txid());
      assertThat(Transaction.fromHex(tx.toHex())).isEqualTo(tx);
    }
  }

  @Test
  void txidIgnoresInputScriptsButHashDoesNot() {
    Random rnd = new Random(1);
    Transaction tx = randomTx(rnd, 3, 2);
    Transaction other = tx.withInputScript(0, Script.fromHex("51"));
    assertThat(other.txid()).isEqualTo(tx.txid());
    assertThat(other.hash()).isNotEqualTo(tx.hash());
  }

  @Test
  void txidFollowsTheMerkleConstruction() {
    Random rnd = new Random(8);
    Transaction tx = randomTx(rnd, 5, 5);
    List<byte[]> inLeaves = new ArrayList<>();
    for (TxInput in : tx.inputs()) {
      ByteWriter w = new ByteWriter();
      w.bytes(in.prevout().txid()).u32(in.prevout().index()).u32(in.sequence());
      inLeaves.add(Hashes.sha256d(w.toByteArray()));
    }
    List<byte[]> outLeaves = new ArrayList<>();
    for (TxOutput o : tx.outputs()) {
      outLeaves.add(Hashes.sha256d(o.serialize()));
    }
    byte[][] in = naiveRoot(inLeaves);
    byte[][] out = naiveRoot(outLeaves);
    ByteWriter w = new ByteWriter();
    w.u32(tx.version()).bytes(in[0]).u8(in[1][0]).bytes(out[0]).u8(out[1][0]).u32(tx.lockTime());
    assertThat(tx.txidBytes()).isEqualTo(Hashes.sha256d(w.toByteArray()));
  }

  /** Recursive definition: pad to even, pair up, height + 1. */
  private static byte[][] naiveRoot(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      return new byte[][] {new byte[32], {1}};
    }
    if (leaves.size() == 1) {
      return new byte[][] {leaves.get(0), {1}};
    }
    List<byte[]> next = new ArrayList<>();
    for (int i = 0; i < leaves.size(); i += 2) {
      byte[] right = i + 1 < leaves.size() ? leaves.get(i + 1) : new byte[32];
      next.add(Hashes.sha256d(leaves.get(i), right));
    }
    byte[][] r = naiveRoot(next);
    return new byte[][] {r[0], {(byte) (r[1][0] + 1)}};
  }

  @Test
  void parseLimitsAndMalformedInput() {
    Transaction tx = randomTx(new Random(3), 3, 3);
    byte[] raw = tx.serialize();
    for (int cut = 0; cut < raw.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(raw, cut);
      assertThatThrownBy(() -> Transaction.parse(part))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("truncated");
    }
    byte[] extra = java.util.Arrays.copyOf(raw, raw.length + 1);
    assertThatThrownBy(() -> Transaction.parse(extra)).hasMessageContaining("trailing");
    // A claimed 2^32-1 inputs must fail on the limit, not allocate.
    byte[] huge = HexBytes.of("02000000feffffffff");
    assertThatThrownBy(() -> Transaction.parse(huge))
        .hasMessageContaining("input count 4294967295 exceeds limit");
    TxParseLimits small = new TxParseLimits(100_000, 2, 2, 10);
    assertThatThrownBy(() -> Transaction.parse(raw, small))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Transaction.parse(raw, new TxParseLimits(10, 5, 5, 500)))
        .hasMessageContaining("limit 10");
    byte[] nonCanonical = HexBytes.of("02000000fd0100");
    assertThatThrownBy(() -> Transaction.parse(nonCanonical)).hasMessageContaining("non-canonical");
  }

  @Test
  void feeRefusesOverspend() {
    Transaction tx =
        new Transaction(
            2,
            List.of(TxInput.unsigned(new OutPoint(new byte[32], 0))),
            List.of(new TxOutput(1000, Script.empty())),
            0);
    assertThat(tx.fee(List.of(1500L))).isEqualTo(500);
    assertThatThrownBy(() -> tx.fee(List.of(999L))).hasMessageContaining("exceed inputs");
    assertThatThrownBy(() -> tx.fee(List.of())).hasMessageContaining("need 1 spent values");
  }

  @Test
  void amounts() {
    assertThat(Amount.parseXpi("1").sats()).isEqualTo(1_000_000);
    assertThat(Amount.parseXpi("0.000001 XPI").sats()).isEqualTo(1);
    assertThat(Amount.ofSats(98_677).format()).isEqualTo("0.098677 XPI");
    assertThat(Amount.ofSats(-5).format()).isEqualTo("-0.000005 XPI");
    assertThatThrownBy(() -> Amount.parseXpi("0.0000001"))
        .hasMessageContaining("at most 6 decimals");
    assertThatThrownBy(() -> Amount.parseXpi("abc")).hasMessageContaining("not a decimal");
    assertThatThrownBy(() -> Amount.parseXpi("99999999999999999999"))
        .hasMessageContaining("out of range");
    Random rnd = new Random(6);
    for (int i = 0; i < 1000; i++) {
      Amount a = Amount.ofSats(rnd.nextLong() % Amount.MAX_MONEY);
      assertThat(Amount.parseXpi(a.format())).isEqualTo(a);
    }
    assertThat(OutPoint.fromDisplayHex("00".repeat(31) + "01", 3).txid()[0]).isEqualTo((byte) 1);
  }

  /** Tiny hex helper. */
  static final class HexBytes {
    static byte[] of(String hex) {
      return java.util.HexFormat.of().parseHex(hex);
    }
  }
}
