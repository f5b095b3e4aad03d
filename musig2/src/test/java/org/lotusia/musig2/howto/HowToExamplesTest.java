package org.lotusia.musig2.howto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
// howto:begin musig-imports
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.musig2.crypto.Bip340;
import org.lotusia.musig2.crypto.LotusKeyAggContext;
import org.lotusia.musig2.crypto.LotusMuSig2;
import org.lotusia.musig2.crypto.LotusMuSig2Taproot;
import org.lotusia.musig2.crypto.MuSig2Session;
// howto:end musig-imports

/**
 * The MuSig2 examples of docs/HOWTO.md, compiled and run. The regions between the {@code
 * howto:begin} and {@code howto:end} markers are compared with the document. The test lives outside
 * the module's packages so that the imports shown are exactly the ones a user needs.
 */
class HowToExamplesTest {

  @Test
  void twoOfTwoLotus() {
    // howto:begin musig-keys
    // Each party makes (once) and keeps its own key pair, and sends the public key to the others.
    SecureRandom random = new SecureRandom();
    PrivateKey aliceKey = PrivateKey.random(random); // or PrivateKey.fromBytes(stored32Bytes)
    PrivateKey bobKey = PrivateKey.random(random);
    byte[] aliceSecret = aliceKey.toBytes(); // 32 bytes; only alice has it
    byte[] bobSecret = bobKey.toBytes();
    byte[] alicePub = aliceKey.publicKeyBytes(); // 33-byte compressed key, shared
    byte[] bobPub = bobKey.publicKeyBytes();
    // howto:end musig-keys
    // howto:begin musig-lotus
    byte[] digest = Hashes.sha256("the message both agreed on".getBytes(StandardCharsets.UTF_8));
    List<byte[]> keys = List.of(alicePub, bobPub); // 33-byte compressed keys, any order
    MuSig2Session alice = MuSig2Session.builder() // variant LOTUS is the default
        .publicKeys(keys)
        .secretKey(aliceSecret) // copied; the copy is wiped when the session ends
        .message(digest) // 32 bytes, e.g. a SIGHASH_LOTUS digest
        .build();
    MuSig2Session bob = MuSig2Session.builder()
        .publicKeys(keys).secretKey(bobSecret).message(digest).build();

    // Round 1: exchange public nonces (66 bytes each; fresh randomness, usable once).
    byte[] aliceNonce = alice.generateNonce();
    byte[] bobNonce = bob.generateNonce();
    alice.receiveNonce(alice.signerIndex(bobPub), bobNonce);
    bob.receiveNonce(bob.signerIndex(alicePub), aliceNonce);

    // Round 2: exchange partial signatures (32 bytes each; verified on arrival).
    byte[] alicePartial = alice.sign(); // a second sign() throws
    byte[] bobPartial = bob.sign();
    alice.receivePartialSignature(alice.signerIndex(bobPub), bobPartial);
    bob.receivePartialSignature(bob.signerIndex(alicePub), alicePartial);

    byte[] signature = alice.finalSignature(); // 64 bytes, verified under alice.signingKey()
    boolean valid = LotusSchnorr.verify(signature, alice.signingKey(), digest);
    // howto:end musig-lotus

    assertThat(valid).isTrue();
    assertThat(bob.finalSignature()).isEqualTo(signature);
    assertThat(alice.phase()).isEqualTo(MuSig2Session.Phase.COMPLETE);
  }

  @Test
  void twoOfTwoBip327() {
    SecureRandom rnd = new SecureRandom();
    PrivateKey aliceKey = PrivateKey.random(rnd);
    PrivateKey bobKey = PrivateKey.random(rnd);
    byte[] aliceSecret = aliceKey.toBytes();
    byte[] bobSecret = bobKey.toBytes();
    byte[] alicePub = aliceKey.publicKeyBytes();
    byte[] bobPub = bobKey.publicKeyBytes();
    List<byte[]> keys = List.of(alicePub, bobPub);
    byte[] message = new byte[32];
    rnd.nextBytes(message);
    // howto:begin musig-bip327
    MuSig2Session alice = MuSig2Session.builder()
        .variant(MuSig2Session.Variant.BIP327)
        .publicKeys(keys).secretKey(aliceSecret).message(message)
        .build();
    MuSig2Session bob = MuSig2Session.builder()
        .variant(MuSig2Session.Variant.BIP327)
        .publicKeys(keys).secretKey(bobSecret).message(message)
        .build();
    alice.receiveNonce(alice.signerIndex(bobPub), bob.generateNonce());
    bob.receiveNonce(bob.signerIndex(alicePub), alice.generateNonce());
    alice.receivePartialSignature(alice.signerIndex(bobPub), bob.sign());
    bob.receivePartialSignature(bob.signerIndex(alicePub), alice.sign());

    byte[] xOnlyKey = alice.signingKey(); // 32 bytes
    byte[] signature = alice.finalSignature(); // a BIP340 signature
    boolean valid = new Bip340(Secp256k1.defaultProvider()).verify(xOnlyKey, message, signature);
    // howto:end musig-bip327

    assertThat(valid).isTrue();
    assertThat(xOnlyKey).hasSize(32);
    assertThat(bob.finalSignature()).isEqualTo(signature);
  }

  @Test
  void twoOfTwoTaprootKeyPathSpend() {
    SecureRandom rnd = new SecureRandom();
    PrivateKey aliceKey = PrivateKey.random(rnd);
    PrivateKey bobKey = PrivateKey.random(rnd);
    byte[] aliceSecret = aliceKey.toBytes();
    byte[] bobSecret = bobKey.toBytes();
    byte[] alicePub = aliceKey.publicKeyBytes();
    byte[] bobPub = bobKey.publicKeyBytes();
    List<byte[]> keys = List.of(alicePub, bobPub);
    OutPoint outpoint = OutPoint.fromDisplayHex("22".repeat(32), 0);
    XAddress destination = XAddress.decode("lotus_16PSJJwbmhnuRbhTByKhXdLKX4GYz2tijaGCHuwMe");
    // howto:begin musig-taproot
    LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
    LotusKeyAggContext ctx = lotus.taproot(lotus.keyAgg(keys)); // TapTweak, no script tree
    Script p2tr = LotusMuSig2Taproot.outputScript(ctx); // pay the shared funds here

    // Spend: build the transaction, then both parties sign its SIGHASH_LOTUS digest.
    TxOutput spent = new TxOutput(1_000_000, p2tr);
    BuiltTransaction built = new TransactionBuilder()
        .addUnsignedInput(outpoint, spent, 1 + 65) // the input script will be a 65-byte push
        .payTo(destination, 990_000)
        .fixedFee(10_000)
        .build();
    byte[] digest = new SigHasher(built.transaction(), built.spentOutputs(), SigHashOptions.DEFAULT)
        .lotus(0, LotusTaproot.KEY_PATH_SIGHASH);
    MuSig2Session alice = MuSig2Session.builder()
        .publicKeys(keys).secretKey(aliceSecret).message(digest).taproot().build();
    MuSig2Session bob = MuSig2Session.builder()
        .publicKeys(keys).secretKey(bobSecret).message(digest).taproot().build();
    alice.receiveNonce(alice.signerIndex(bobPub), bob.generateNonce());
    bob.receiveNonce(bob.signerIndex(alicePub), alice.generateNonce());
    alice.receivePartialSignature(alice.signerIndex(bobPub), bob.sign());
    bob.receivePartialSignature(bob.signerIndex(alicePub), alice.sign());

    Transaction signed = built.transaction().withInputScript(0,
        LotusMuSig2Taproot.keyPathInputScript(alice.finalSignature())); // sig64 || 0x61
    // howto:end musig-taproot

    byte[] scriptSig65 = LotusMuSig2Taproot.keyPathSignature(alice.finalSignature());
    assertThat(LotusTaproot.verifyKeyPath(Secp256k1.defaultProvider(), scriptSig65, signed, 0,
        built.spentOutputs(), SigHashOptions.DEFAULT)).isTrue();
    assertThat(signed.inputs().get(0).scriptSig().bytes()).hasSize(66);
  }
}
