package org.lotusia.swapsig;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.lotusia.chain.script.Script;
import org.lotusia.swapsig.crypto.DestinationCipher;
import org.lotusia.swapsig.crypto.PoolDigests;
import org.lotusia.swapsig.plan.RingLayout;
import org.lotusia.swapsig.wire.DestinationReveal;
import org.lotusia.swapsig.wire.ParticipantRegistration;

/**
 * A participant's reveal round. It sends its destination, encrypted, to each co-signer of the
 * output that pays it, and only to them; it opens the destinations of the participants paid by the
 * outputs it co-signs and checks each against the commitment registered before the roster was
 * known. Confined to the service thread.
 */
final class RevealStage {

  /** Where the stage reports. */
  interface Host {
    /** The destination of every output this participant co-signs, by output index. */
    void revealed(Map<Integer, Script> destinations);

    /** A reveal failed its checks. */
    void fail(String reason);
  }

  private static final HexFormat HEX = HexFormat.of();

  private final Services svc;
  private final RoundContext ctx;
  private final Host host;
  private final Map<Integer, Script> destinations = new HashMap<>();
  private boolean done;

  RevealStage(Services svc, RoundContext ctx, Host host) {
    this.svc = svc;
    this.ctx = ctx;
    this.host = host;
  }

  /** Sends this participant's reveals. */
  void start() {
    RingLayout ring = ctx.plan().layout();
    int paying = ring.payingOutput(ctx.me());
    byte[] script = ctx.request().destination().bytes();
    byte[] plain = ByteBuffer.allocate(32 + script.length).put(ctx.salt()).put(script).array();
    for (int s : ring.group(paying)) {
      ParticipantRegistration to = ctx.members().get(s);
      byte[] aad = DestinationReveal.associatedData(ctx.poolId(), ctx.round(), ctx.myKeyHex(), to.publicKey());
      DestinationCipher.Sealed sealed =
          DestinationCipher.seal(HEX.parseHex(to.encryptionKey()), plain, aad, svc.random);
      DestinationReveal r =
          new DestinationReveal(
              ctx.poolId(),
              ctx.round(),
              ctx.me(),
              ctx.myKeyHex(),
              to.publicKey(),
              HEX.formatHex(sealed.ephemeralKey()),
              HEX.formatHex(sealed.ciphertext()),
              svc.now(),
              null);
      svc.outbox
          .send(to.peerId(), r, ctx.signerKey())
          .exceptionallyCompose(
              e ->
                  svc.outbox.sendVia(
                      ctx.announcement().creatorPeerId(), to.peerId(), r, ctx.signerKey()));
    }
    checkDone();
  }

  /**
   * A reveal addressed to this participant (transport sender already checked against {@code
   * publicKey}).
   */
  void onReveal(DestinationReveal d) {
    if (done || d.round() != ctx.round() || !d.recipientKey().equals(ctx.myKeyHex())) {
      return;
    }
    int sender = ctx.indexOf(d.publicKey());
    RingLayout ring = ctx.plan().layout();
    if (sender < 0 || sender != d.participantIndex()) {
      host.fail("a reveal names index " + d.participantIndex() + " that is not its sender's");
      return;
    }
    int output = ring.payingOutput(sender);
    if (!ring.isSigner(ctx.me(), output) || destinations.containsKey(output)) {
      return;
    }
    ParticipantRegistration r = ctx.members().get(sender);
    byte[] plain;
    try {
      plain =
          DestinationCipher.open(
              ctx.encryption(),
              new DestinationCipher.Sealed(HEX.parseHex(d.ephemeralKey()), HEX.parseHex(d.ciphertext())),
              d.associatedData());
    } catch (IllegalArgumentException e) {
      host.fail("participant " + sender + " sent a reveal that does not decrypt: " + e.getMessage());
      return;
    }
    if (plain.length < 33) {
      host.fail("participant " + sender + " revealed no destination");
      return;
    }
    byte[] salt = Arrays.copyOf(plain, 32);
    byte[] script = Arrays.copyOfRange(plain, 32, plain.length);
    byte[] commitment = PoolDigests.destinationCommitment(ctx.poolId(), script, salt);
    if (!HEX.formatHex(commitment).equals(r.finalOutputCommitment())) {
      host.fail("participant " + sender + " revealed a destination that does not match its commitment");
      return;
    }
    Script dest = Script.of(script);
    if (!SwapRequest.isAcceptedDestination(dest)) {
      host.fail("participant " + sender + " revealed a destination of an unsupported type");
      return;
    }
    destinations.put(output, dest);
    svc.events.emit(new SwapSigEvent.DestinationRevealed(ctx.poolId(), sender));
    checkDone();
  }

  private void checkDone() {
    if (!done && destinations.size() == ctx.plan().layout().outputsSignedBy(ctx.me()).size()) {
      done = true;
      host.revealed(Map.copyOf(destinations));
    }
  }

  /** Stops reporting. */
  void stop() {
    done = true;
  }
}
