package org.lotusia.libp2p.protocol.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import java.time.Instant;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.HopMessage;

/**
 * Fuzzes what a client decodes from a relay: a RESERVE answer either yields a reservation or fails
 * with {@link ProtocolViolationException} or {@link RelayException}, and a voucher either opens or
 * fails with {@link IllegalArgumentException}; nothing else is thrown. Runs its seeds as a
 * regression test; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class RelayMessagesFuzzTest {

  private static final IdentityPrivateKey RELAY_KEY = Keys.ed25519FromSeed(new byte[32]);
  private static final PeerId RELAY = PeerId.fromPublicKey(RELAY_KEY.publicKey());
  private static final PeerId SELF =
      PeerId.fromPublicKey(Keys.ed25519FromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
          13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).publicKey());
  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);
  private static final Multiaddr SEEN = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");
  private static final byte[] VOUCHER =
      new ReservationVoucher(RELAY, SELF, NOW.plusSeconds(7200)).seal(RELAY_KEY).toBytes();
  private static final byte[] VALID =
      HopMessage.newBuilder()
          .setType(HopMessage.Type.STATUS)
          .setStatus(RelayProto.Status.OK)
          .setReservation(
              RelayProto.Reservation.newBuilder()
                  .setExpire(NOW.getEpochSecond() + 7200)
                  .addAddrs(ByteString.copyFrom(SEEN.withPeerId(RELAY).toBytes()))
                  .setVoucher(ByteString.copyFrom(VOUCHER)))
          .setLimit(RelayProto.Limit.newBuilder().setDuration(120).setData(131072))
          .build()
          .toByteArray();

  @FuzzTest(maxDuration = "30s")
  void reserveAnswersAndVouchersFailOnlyAsDocumented(byte[] data) {
    check(data);
    if (data.length > 0) {
      // mutations of valid messages reach deeper than random bytes
      check(mutate(VALID, data));
      checkVoucher(mutate(VOUCHER, data));
    }
    checkVoucher(data);
  }

  private static byte[] mutate(byte[] valid, byte[] data) {
    byte[] m = valid.clone();
    for (int i = 0; i < data.length; i++) {
      m[(data[i] & 0xff) % m.length] ^= (byte) (i + 1);
    }
    return m;
  }

  private static void check(byte[] data) {
    try {
      ReserveExchange.parse(data, RELAY, SEEN, SELF, CircuitRelayConfig.DEFAULT, NOW);
    } catch (ProtocolViolationException | RelayException expected) {
      // the documented failures
    }
  }

  private static void checkVoucher(byte[] data) {
    try {
      ReservationVoucher.open(data, 4096);
    } catch (IllegalArgumentException expected) {
      // the documented failure
    }
  }
}
