package org.lotusia.libp2p.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.record.Envelope;
import org.lotusia.libp2p.record.PeerRecord;

/**
 * Jazzer fuzz targets for the identity and addressing decoders. In a normal test run they replay
 * their seed corpus (regression mode); with {@code JAZZER_FUZZ=1} they fuzz. A decoder may only
 * reject input with {@link IllegalArgumentException}; any other exception is a finding.
 */
class IdentityDecodersFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void multiaddrBytes(@NotNull byte[] input) {
    try {
      Multiaddr m = Multiaddr.fromBytes(input);
      // Whatever decodes must survive a text round trip unchanged.
      if (!Multiaddr.parse(m.toString(), 4 * input.length + 64).equals(m)) {
        throw new IllegalStateException("text round trip changed " + m);
      }
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
  }

  @FuzzTest(maxDuration = "60s")
  void multiaddrText(@NotNull String input) {
    try {
      Multiaddr m = Multiaddr.parse(input);
      if (!Multiaddr.fromBytes(m.toBytes()).equals(m)) {
        throw new IllegalStateException("binary round trip changed " + m);
      }
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
  }

  @FuzzTest(maxDuration = "60s")
  void peerIdAndKeys(@NotNull byte[] input) {
    try {
      PeerId id = PeerId.fromBytes(input);
      if (!PeerId.parse(id.toBase58()).equals(id) || !PeerId.parse(id.toCid()).equals(id)) {
        throw new IllegalStateException("peer ID text round trip changed " + id);
      }
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
    try {
      Keys.decodePublicKey(input);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
    try {
      Keys.decodePrivateKey(input);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
  }

  @FuzzTest(maxDuration = "60s")
  void envelopesAndRecords(@NotNull byte[] input) {
    try {
      Envelope.decode(input, Envelope.DEFAULT_MAX_BYTES);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
    try {
      PeerRecord.decode(input, PeerRecord.DEFAULT_MAX_ADDRESSES);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
  }
}
