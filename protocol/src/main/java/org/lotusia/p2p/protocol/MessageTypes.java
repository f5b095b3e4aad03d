package org.lotusia.p2p.protocol;

/**
 * lotus-sdk's {@code BaseMessageType} values (types.ts). Only the peer-* and error types have
 * helpers in {@link P2PProtocol}; the dht-* types are defined by lotus-sdk but never sent by it.
 */
public final class MessageTypes {

  /** {@code peer-handshake}. */
  public static final String PEER_HANDSHAKE = "peer-handshake";

  /** {@code peer-disconnect}. */
  public static final String PEER_DISCONNECT = "peer-disconnect";

  /** {@code peer-heartbeat}. */
  public static final String PEER_HEARTBEAT = "peer-heartbeat";

  /** {@code dht-announce}. */
  public static final String DHT_ANNOUNCE = "dht-announce";

  /** {@code dht-query}. */
  public static final String DHT_QUERY = "dht-query";

  /** {@code dht-response}. */
  public static final String DHT_RESPONSE = "dht-response";

  /** {@code data-message}. */
  public static final String DATA_MESSAGE = "data-message";

  /** {@code data-broadcast}. */
  public static final String DATA_BROADCAST = "data-broadcast";

  /** {@code error}. */
  public static final String ERROR = "error";

  /** The libp2p protocol id of lotus-sdk's generic message channel. */
  public static final String MESSAGE_PROTOCOL_ID = "/lotus/message/1.0.0";

  private MessageTypes() {}
}
