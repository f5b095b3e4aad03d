package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional authenticated mode, with real Ed25519 keys standing in for libp2p identities. */
class MessageAuthenticatorTest {

  final MutableClock clock = new MutableClock(1_700_000_000_000L);
  final P2PProtocol protocol = P2PProtocol.builder().clock(clock).build();
  final KeyPair alice = ed25519();
  final KeyPair mallory = ed25519();
  final Map<String, KeyPair> keys = Map.of("alice", alice, "mallory", mallory);

  final MessageSigner aliceSigner = data -> sign(alice, data);
  final SignatureVerifier verifier = (peer, data, sig) -> verify(keys.get(peer), data, sig);

  @Test
  void disabledModeAcceptsSpoofedSenders() {
    P2PMessage m = protocol.createMessage("t", null, "alice");
    assertThat(MessageAuthenticator.disabled().check(m, "mallory").accepted()).isTrue();
    assertThat(MessageAuthenticator.disabled().enabled()).isFalse();
  }

  @Test
  void senderBindingRejectsAFromThatIsNotTheStreamPeer() {
    P2PMessage m = protocol.createMessage("t", null, "alice");
    AuthResult r = MessageAuthenticator.senderBinding().check(m, "mallory");
    assertThat(r.failure()).isEqualTo(AuthFailure.SENDER_MISMATCH);
    assertThat(r.detail()).contains("'alice'").contains("'mallory'");
    assertThat(MessageAuthenticator.senderBinding().check(m, "alice").accepted()).isTrue();
  }

  @Test
  void signatureBindsTheContent() {
    P2PMessage m =
        MessageAuthenticator.sign(
            protocol.createMessage(
                "t",
                JsonNodeFactory.instance.objectNode().put("amount", 5),
                "alice",
                "bob",
                "chat",
                null),
            aliceSigner);
    MessageAuthenticator auth =
        MessageAuthenticator.signed(MessageAuthenticator.SignatureMode.REQUIRED, verifier);
    assertThat(auth.check(m, "alice").accepted()).isTrue();
    // Survives the wire.
    assertThat(auth.check(protocol.deserialize(protocol.serialize(m)), "alice").accepted())
        .isTrue();
    P2PMessage tampered =
        new P2PMessage(
            m.type(),
            m.from(),
            m.to(),
            JsonNodeFactory.instance.objectNode().put("amount", 500),
            m.timestamp(),
            m.messageId(),
            m.signature(),
            m.protocol());
    assertThat(auth.check(tampered, "alice").failure()).isEqualTo(AuthFailure.SIGNATURE_INVALID);
    P2PMessage otherTime =
        new P2PMessage(
            m.type(),
            m.from(),
            m.to(),
            m.payload(),
            m.timestamp() + 1,
            m.messageId(),
            m.signature(),
            m.protocol());
    assertThat(auth.check(otherTime, "alice").failure()).isEqualTo(AuthFailure.SIGNATURE_INVALID);
  }

  @Test
  void requiredModeRejectsUnsignedIfPresentModeAcceptsIt() {
    P2PMessage m = protocol.createMessage("t", null, "alice");
    assertThat(
            MessageAuthenticator.signed(MessageAuthenticator.SignatureMode.REQUIRED, verifier)
                .check(m, "alice")
                .failure())
        .isEqualTo(AuthFailure.SIGNATURE_MISSING);
    assertThat(
            MessageAuthenticator.signed(MessageAuthenticator.SignatureMode.IF_PRESENT, verifier)
                .check(m, "alice")
                .accepted())
        .isTrue();
    P2PMessage garbage = m.withSignature(new byte[] {1, 2, 3});
    assertThat(
            MessageAuthenticator.signed(MessageAuthenticator.SignatureMode.IF_PRESENT, verifier)
                .check(garbage, "alice")
                .failure())
        .isEqualTo(AuthFailure.SIGNATURE_INVALID);
    assertThatThrownBy(
            () -> MessageAuthenticator.signed(MessageAuthenticator.SignatureMode.IGNORE, verifier))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signingBytesAreUnambiguousAndStable() {
    P2PMessage ab = new P2PMessage("ab", "c", null, null, 1, "m", null, null);
    P2PMessage a = new P2PMessage("a", "bc", null, null, 1, "m", null, null);
    assertThat(MessageAuthenticator.signingBytes(ab))
        .isNotEqualTo(MessageAuthenticator.signingBytes(a));
    P2PMessage emptyTo = new P2PMessage("a", "b", "", null, 1, "m", null, null);
    P2PMessage noTo = new P2PMessage("a", "b", null, null, 1, "m", null, null);
    assertThat(MessageAuthenticator.signingBytes(emptyTo))
        .isNotEqualTo(MessageAuthenticator.signingBytes(noTo));
    P2PMessage v =
        new P2PMessage("t", "f", null, JsonNodeFactory.instance.numberNode(1), 2, "m", null, "p");
    assertThat(HexFormat.of().formatHex(MessageAuthenticator.signingBytes(v)))
        .isEqualTo(
            HexFormat.of().formatHex("lotus-p2p-message-signature/1".getBytes())
                + "010000000174"
                + "010000000166"
                + "00"
                + "010000000170"
                + "01000000016d"
                + "010000000131"
                + "0000000000000002");
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sign(KeyPair k, byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(k.getPrivate());
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean verify(KeyPair k, byte[] data, byte[] sig) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(k.getPublic());
      s.update(data);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
