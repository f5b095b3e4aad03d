package org.lotusia.swapsig.wire;

import java.util.Set;

/**
 * SwapSig's message types: lotus-sdk's names ({@code SwapSigMessageType}) where lotus-sdk had the
 * message, and two added ones ({@link #ROSTER}, {@link #SETUP_COMPLETE} carries added fields). All
 * travel as {@code P2PMessage}s with protocol {@value #PROTOCOL} on {@code /lotus/message/1.0.0};
 * the pool announcement travels on the topic {@value #POOL_TOPIC} and as the DHT resource {@code
 * resource:swapsig-pool:<poolId>}.
 */
public final class SwapSigMessageTypes {

  /** The {@code protocol} field of every SwapSig message. */
  public static final String PROTOCOL = "swapsig";

  /** GossipSub topic of pool announcements. */
  public static final String POOL_TOPIC = "lotus/swapsig/pools";

  /** DHT resource type of pool announcements. */
  public static final String POOL_RESOURCE = "swapsig-pool";

  /** Participant to creator: a registration. */
  public static final String PARTICIPANT_REGISTERED = "swapsig:participant-registered";

  /** Creator to participant: registration accepted or refused. */
  public static final String REGISTRATION_ACK = "swapsig:registration-ack";

  /** Creator to participants: who takes part in this round (added). */
  public static final String ROSTER = "swapsig:roster";

  /** Participant to creator: its signed setup transaction. */
  public static final String SETUP_TX_BROADCAST = "swapsig:setup-tx-broadcast";

  /** Creator to participants: every signed setup transaction; everyone broadcasts them. */
  public static final String SETUP_COMPLETE = "swapsig:setup-complete";

  /** Participant to a co-signer of the output that pays it: its encrypted destination. */
  public static final String DESTINATION_REVEAL = "swapsig:destination-reveal";

  /** Finaliser of the last settlement to participants: it is broadcast. */
  public static final String SETTLEMENT_TX_BROADCAST = "swapsig:settlement-tx-broadcast";

  /** Creator or participant to everyone: the pool is aborted, with the reason. */
  public static final String POOL_ABORT = "swapsig:pool-abort";

  /** Participant to creator: a roster member fails a check. */
  public static final String PARTICIPANT_DROPPED = "swapsig:participant-dropped";

  /** Every type a node accepts. */
  public static final Set<String> ALL =
      Set.of(
          PARTICIPANT_REGISTERED,
          REGISTRATION_ACK,
          ROSTER,
          SETUP_TX_BROADCAST,
          SETUP_COMPLETE,
          DESTINATION_REVEAL,
          SETTLEMENT_TX_BROADCAST,
          POOL_ABORT,
          PARTICIPANT_DROPPED);

  private SwapSigMessageTypes() {}
}
