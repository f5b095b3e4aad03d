package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.NoiseHandshakePayload;

class NoisePayloadsTest {

  private static final IdentityPrivateKey ID = Keys.generateEd25519();

  @Test
  void payloadSignsPrefixedStaticKey() {
    byte[] s = X25519KeyPair.generate().publicKey();
    NoisePayloads.Verified v =
        NoisePayloads.verify(NoisePayloads.create(ID, s, List.of(), List.of()), s);
    assertThat(v.peer()).isEqualTo(PeerId.fromPublicKey(ID.publicKey()));
    assertThat(v.streamMuxers()).isEmpty();
    assertThat(new String(NoisePayloads.signedData(s), 0, 24))
        .isEqualTo("noise-libp2p-static-key:");
    assertThat(NoisePayloads.signedData(s)).hasSize(24 + 32);
  }

  @Test
  void extensionsAreLeftOutWhenEmpty() throws Exception {
    byte[] s = X25519KeyPair.generate().publicKey();
    NoiseHandshakePayload p =
        NoiseHandshakePayload.parseFrom(NoisePayloads.create(ID, s, List.of(), List.of()));
    assertThat(p.hasExtensions()).isFalse();
    NoiseHandshakePayload q =
        NoiseHandshakePayload.parseFrom(
            NoisePayloads.create(ID, s, List.of("/yamux/1.0.0"), List.of()));
    assertThat(q.getExtensions().getStreamMuxersList()).containsExactly("/yamux/1.0.0");
  }

  @Test
  void signatureOverAnotherStaticKeyIsRejected() {
    byte[] s = X25519KeyPair.generate().publicKey();
    byte[] other = X25519KeyPair.generate().publicKey();
    byte[] payload = NoisePayloads.create(ID, other, List.of(), List.of());
    assertThatThrownBy(() -> NoisePayloads.verify(payload, s))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining(
            "identity_sig of the ED25519 identity key does not sign the remote static Noise key");
  }

  @Test
  void malformedPayloadsNameTheFailedCheck() {
    byte[] s = X25519KeyPair.generate().publicKey();
    assertThatThrownBy(() -> NoisePayloads.verify(new byte[] {(byte) 0xff, 0x01}, s))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("not a valid NoiseHandshakePayload");
    assertThatThrownBy(() -> NoisePayloads.verify(new byte[0], s))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("has no identity_key");
    byte[] noSig =
        NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(ID.publicKey().encoded()))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> NoisePayloads.verify(noSig, s))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("has no identity_sig");
    byte[] badKey =
        NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(new byte[] {8, 1, 18, 3, 1, 2, 3}))
            .setIdentitySig(ByteString.copyFrom(new byte[64]))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> NoisePayloads.verify(badKey, s))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("unusable identity_key");
  }

  @Test
  void unknownFieldsAndUnknownExtensionsAreTolerated() throws IOException {
    IdentityPrivateKey k1 = Keys.generate(KeyType.SECP256K1);
    byte[] s = X25519KeyPair.generate().publicKey();
    byte[] base = NoisePayloads.create(k1, s, List.of(), List.of());
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    CodedOutputStream ce = CodedOutputStream.newInstance(ext);
    ce.writeString(2, "/yamux/1.0.0");
    ce.writeBytes(1500, ByteString.copyFromUtf8("future extension code point"));
    ce.flush();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(base);
    CodedOutputStream co = CodedOutputStream.newInstance(all);
    co.writeBytes(3, ByteString.copyFromUtf8("retired early data field"));
    co.writeBytes(4, ByteString.copyFrom(ext.toByteArray()));
    co.writeUInt64(99, 7);
    co.flush();
    NoisePayloads.Verified v = NoisePayloads.verify(all.toByteArray(), s);
    assertThat(v.peer()).isEqualTo(PeerId.fromPublicKey(k1.publicKey()));
    assertThat(v.streamMuxers()).containsExactly("/yamux/1.0.0");
  }

  @Test
  void dialerRejectsResponderWhoseSignatureCoversAnotherStaticKey() throws Exception {
    NoiseHandler dialerHandler = NoiseSecurity.initiator(Keys.generateEd25519(), null);
    EmbeddedChannel dialer = new EmbeddedChannel(dialerHandler);
    HandshakeState evil = new HandshakeState(false, new byte[0], X25519KeyPair.generate());
    evil.readMessage(unframe(dialer.readOutbound()));
    byte[] liePayload =
        NoisePayloads.create(ID, X25519KeyPair.generate().publicKey(), List.of(), List.of());
    byte[] m2 = evil.writeMessage(liePayload);
    dialer.writeInbound(Unpooled.buffer().writeShort(m2.length).writeBytes(m2));
    assertThat(dialerHandler.session()).isCompletedExceptionally();
    assertThatThrownBy(() -> dialerHandler.session().get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("does not sign the remote static Noise key");
    assertThat(dialer.isOpen()).isFalse();
    dialer.finishAndReleaseAll();
  }

  private static byte[] unframe(Object o) {
    ByteBuf b = (ByteBuf) o;
    try {
      int len = b.readUnsignedShort();
      assertThat(b.readableBytes()).isEqualTo(len);
      byte[] out = new byte[len];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }
}
