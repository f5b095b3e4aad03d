package org.lotusia.libp2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.multiformats.Cid;
import org.lotusia.libp2p.multiformats.Multibase;
import org.lotusia.libp2p.multiformats.Multihash;
import org.lotusia.libp2p.multiformats.Varint;
import org.lotusia.libp2p.record.Envelope;
import org.lotusia.libp2p.record.PeerRecord;

/**
 * Every decoder, fed random bytes and mutations of valid encodings, either decodes or throws {@link
 * IllegalArgumentException}; nothing else escapes.
 */
class DecoderRobustnessTest {

  private static final int ROUNDS = 3000;

  private static List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>();
    for (KeyType t : new KeyType[] {KeyType.ED25519, KeyType.SECP256K1, KeyType.ECDSA}) {
      IdentityPrivateKey k = Keys.generate(t);
      seeds.add(k.encoded());
      seeds.add(k.publicKey().encoded());
      seeds.add(PeerId.fromPublicKey(k.publicKey()).toBytes());
    }
    IdentityPrivateKey k = Keys.generateEd25519();
    PeerId id = PeerId.fromPublicKey(k.publicKey());
    Multiaddr addr =
        Multiaddr.parse(
            "/ip6/2001:db8::1/udp/4001/quic-v1/webtransport/certhash/"
                + "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g/p2p/"
                + id);
    seeds.add(addr.toBytes());
    seeds.add(Multiaddr.parse("/dns4/example.com/tcp/443/wss/p2p-circuit").toBytes());
    PeerRecord record = new PeerRecord(id, 5, List.of(addr));
    seeds.add(record.encode());
    seeds.add(record.seal(k).toBytes());
    seeds.add(Cid.v1(Cid.LIBP2P_KEY, Multihash.decode(id.toBytes())).toBytes());
    return seeds;
  }

  private static void check(byte[] input, Consumer<byte[]> decoder) {
    try {
      decoder.accept(input);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static byte[] mutate(SplittableRandom rnd, List<byte[]> seeds) {
    byte[] base = seeds.get(rnd.nextInt(seeds.size())).clone();
    switch (rnd.nextInt(4)) {
      case 0 -> {
        byte[] r = new byte[rnd.nextInt(0, 80)];
        rnd.nextBytes(r);
        return r;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(base, rnd.nextInt(0, base.length + 1));
      }
      case 2 -> {
        for (int i = 0, n = rnd.nextInt(1, 4); i < n && base.length > 0; i++) {
          base[rnd.nextInt(base.length)] = (byte) rnd.nextInt(256);
        }
        return base;
      }
      default -> {
        byte[] longer = java.util.Arrays.copyOf(base, base.length + rnd.nextInt(1, 8));
        for (int i = base.length; i < longer.length; i++) {
          longer[i] = (byte) rnd.nextInt(256);
        }
        return longer;
      }
    }
  }

  @Test
  void binaryDecoders() {
    SplittableRandom rnd = new SplittableRandom(2026);
    List<byte[]> seeds = seeds();
    for (int i = 0; i < ROUNDS; i++) {
      byte[] in = mutate(rnd, seeds);
      check(in, Multiaddr::fromBytes);
      check(in, PeerId::fromBytes);
      check(in, Keys::decodePublicKey);
      check(in, Keys::decodePrivateKey);
      check(in, b -> Envelope.open(b, PeerRecord.DOMAIN));
      check(in, PeerRecord::open);
      check(in, b -> PeerRecord.decode(b, 16));
      check(in, Cid::fromBytes);
      check(in, Multihash::decode);
      check(in, Varint::decodeExact);
    }
  }

  @Test
  void textDecoders() {
    SplittableRandom rnd = new SplittableRandom(7);
    String alphabet =
        "/ip46dnsaddrtcpudpquic-v1wsp2p-circuit0123456789.:abcdefXYZQm12D3KooWbafzk%é";
    List<String> seeds =
        List.of(
            "/ip4/1.2.3.4/tcp/1",
            "/ip6/::1/udp/2/quic-v1",
            "/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
            "bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u",
            "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    for (int i = 0; i < ROUNDS; i++) {
      StringBuilder sb = new StringBuilder(seeds.get(rnd.nextInt(seeds.size())));
      for (int j = 0, n = rnd.nextInt(1, 4); j < n; j++) {
        int pos = rnd.nextInt(sb.length() + 1);
        char c = alphabet.charAt(rnd.nextInt(alphabet.length()));
        if (rnd.nextBoolean() && pos < sb.length()) {
          sb.setCharAt(pos, c);
        } else {
          sb.insert(pos, c);
        }
      }
      String in = sb.toString();
      checkText(in, Multiaddr::parse);
      checkText(in, PeerId::parse);
      checkText(in, Cid::parse);
      checkText(in, Multibase::decode);
    }
  }

  private static void checkText(String input, Consumer<String> decoder) {
    try {
      decoder.accept(input);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
