package org.lotusia.chain.sighash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

class SigHasherTest {

  private static final int[] BASES = {SigHashType.ALL, SigHashType.NONE, SigHashType.SINGLE};

  private static Transaction tx(Random rnd, int nIn, int nOut) {
    List<TxInput> ins = new ArrayList<>();
    for (int i = 0; i < nIn; i++) {
      byte[] id = new byte[32];
      rnd.nextBytes(id);
      ins.add(
          new TxInput(
              new OutPoint(id, rnd.nextInt(5)), Script.fromHex("51"), rnd.nextInt() & 0xffffffffL));
    }
    List<TxOutput> outs = new ArrayList<>();
    for (int i = 0; i < nOut; i++) {
      byte[] s = new byte[rnd.nextInt(30)];
      rnd.nextBytes(s);
      outs.add(new TxOutput(rnd.nextInt(1_000_000_000), Script.of(s)));
    }
    return new Transaction(2, ins, outs, rnd.nextInt(1000));
  }

  private static List<TxOutput> spent(Random rnd, int n) {
    List<TxOutput> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] s = new byte[25];
      rnd.nextBytes(s);
      out.add(new TxOutput(rnd.nextInt(1_000_000_000), Script.of(s)));
    }
    return out;
  }

  /** BIP143 written out directly from the specification, no caching. */
  private static byte[] naiveBip143(
      Transaction tx, int idx, Script code, long amount, int type, int preimageType) {
    int base = type & 3;
    boolean acp = (type & 0x80) != 0;
    ByteWriter prev = new ByteWriter();
    ByteWriter seq = new ByteWriter();
    for (TxInput in : tx.inputs()) {
      prev.bytes(in.prevout().txid()).u32(in.prevout().index());
      seq.u32(in.sequence());
    }
    ByteWriter outs = new ByteWriter();
    for (TxOutput o : tx.outputs()) {
      outs.bytes(o.serialize());
    }
    byte[] hp = acp ? new byte[32] : Hashes.sha256d(prev.toByteArray());
    byte[] hs = acp || base != 1 ? new byte[32] : Hashes.sha256d(seq.toByteArray());
    byte[] ho =
        base == 1
            ? Hashes.sha256d(outs.toByteArray())
            : base == 3 && idx < tx.outputs().size()
                ? Hashes.sha256d(tx.outputs().get(idx).serialize())
                : new byte[32];
    TxInput in = tx.inputs().get(idx);
    ByteWriter w = new ByteWriter();
    w.u32(tx.version())
        .bytes(hp)
        .bytes(hs)
        .bytes(in.prevout().txid())
        .u32(in.prevout().index())
        .varBytes(code.bytes())
        .u64(amount)
        .u32(in.sequence())
        .bytes(ho)
        .u32(tx.lockTime())
        .u32(preimageType & 0xffffffffL);
    return Hashes.sha256d(w.toByteArray());
  }

  @Test
  void bip143MatchesTheSpecForEveryTypeAndReplayProtection() {
    Random rnd = new Random(77);
    for (int round = 0; round < 20; round++) {
      Transaction t = tx(rnd, 1 + rnd.nextInt(5), rnd.nextInt(5));
      SigHasher plain = new SigHasher(t, null);
      SigHasher rp = new SigHasher(t, null, SigHashOptions.REPLAY_PROTECTED);
      Script code = Script.fromHex("76a914" + "00".repeat(20) + "88ac");
      for (int idx = 0; idx < t.inputs().size(); idx++) {
        for (int base : BASES) {
          for (int acp : new int[] {0, 0x80}) {
            int type = base | SigHashType.FORKID | acp;
            assertThat(plain.bip143(idx, code, 5000, type))
                .isEqualTo(naiveBip143(t, idx, code, 5000, type, type));
            int rewritten = SigHashType.withReplayProtection(type);
            assertThat(rp.bip143(idx, code, 5000, type))
                .isEqualTo(naiveBip143(t, idx, code, 5000, type, rewritten));
          }
        }
      }
    }
    assertThat(SigHashType.withReplayProtection(0x41)).isEqualTo(0xffdead41);
    assertThat(new SigHashOptions(0, true).preimageType(0x61)).isEqualTo(0xffdead61);
  }

  @Test
  void cachedHasherEqualsFreshHasherOnEveryInput() {
    Random rnd = new Random(5);
    Transaction t = tx(rnd, 40, 7);
    List<TxOutput> sp = spent(rnd, 40);
    SigHasher cached = new SigHasher(t, sp);
    for (int i = 0; i < 40; i++) {
      for (int type : new int[] {0x61, 0x62, 0x63, 0xe1, 0xe2, 0xe3}) {
        if ((type & 3) == SigHashType.SINGLE && i >= t.outputs().size()) {
          continue;
        }
        assertThat(cached.lotus(i, type)).isEqualTo(new SigHasher(t, sp).lotus(i, type));
      }
      assertThat(cached.hash(i, 0x41, sp.get(i).script(), 7))
          .isEqualTo(new SigHasher(t, sp).bip143(i, sp.get(i).script(), 7, 0x41));
    }
  }

  @Test
  void lotusCommitsToWhatTheTypeSays() {
    Random rnd = new Random(9);
    Transaction t = tx(rnd, 3, 3);
    List<TxOutput> sp = spent(rnd, 3);
    byte[] all = new SigHasher(t, sp).lotus(1, 0x61);
    byte[] acp = new SigHasher(t, sp).lotus(1, 0xe1);
    // Changing another input's spent output changes ALL but not ANYONECANPAY.
    List<TxOutput> sp2 = new ArrayList<>(sp);
    sp2.set(0, new TxOutput(sp.get(0).value() + 1, sp.get(0).script()));
    assertThat(new SigHasher(t, sp2).lotus(1, 0x61)).isNotEqualTo(all);
    assertThat(new SigHasher(t, sp2).lotus(1, 0xe1)).isEqualTo(acp);
    // Changing this input's spent output changes both.
    List<TxOutput> sp3 = new ArrayList<>(sp);
    sp3.set(1, new TxOutput(sp.get(1).value() + 1, sp.get(1).script()));
    assertThat(new SigHasher(t, sp3).lotus(1, 0xe1)).isNotEqualTo(acp);
    // NONE ignores outputs.
    Transaction fewerOutputs =
        new Transaction(2, t.inputs(), t.outputs().subList(0, 2), t.lockTime());
    assertThat(new SigHasher(fewerOutputs, sp).lotus(1, 0x62))
        .isEqualTo(new SigHasher(t, sp).lotus(1, 0x62));
    assertThat(new SigHasher(fewerOutputs, sp).lotus(1, 0x61)).isNotEqualTo(all);
    // Input scripts are not committed to.
    assertThat(new SigHasher(t.withInputScript(0, Script.fromHex("00")), sp).lotus(1, 0x61))
        .isEqualTo(all);
    // Script-path variant differs from key path.
    assertThat(new SigHasher(t, sp).lotus(1, 0x61, new byte[32], 0xffffffffL)).isNotEqualTo(all);
  }

  @Test
  void invalidUsesAreRejected() {
    Random rnd = new Random(10);
    Transaction t = tx(rnd, 2, 1);
    SigHasher noSpent = new SigHasher(t, null);
    assertThatThrownBy(() -> noSpent.lotus(0, 0x61)).hasMessageContaining("spent output");
    SigHasher h = new SigHasher(t, spent(rnd, 2));
    assertThatThrownBy(() -> h.lotus(0, 0x60))
        .hasMessageContaining("invalid SIGHASH_LOTUS type 0x60");
    assertThatThrownBy(() -> h.lotus(0, 0x65)).hasMessageContaining("invalid SIGHASH_LOTUS");
    assertThatThrownBy(() -> h.lotus(1, 0x63)).hasMessageContaining("no output 1");
    assertThatThrownBy(() -> h.lotus(2, 0x61)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> h.hash(0, 0x21, Script.empty(), 0)).hasMessageContaining("reserved");
    assertThatThrownBy(() -> new SigHasher(t, spent(rnd, 1)))
        .hasMessageContaining("one spent output per input");
    byte[] one = new byte[32];
    one[0] = 1;
    assertThat(h.legacy(1, Script.empty(), SigHashType.SINGLE)).isEqualTo(one);
  }
}
