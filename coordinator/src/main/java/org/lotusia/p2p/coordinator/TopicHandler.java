package org.lotusia.p2p.coordinator;

/**
 * Receives the messages of a subscribed GossipSub topic. Runs on the coordinator's callback
 * executor, one message at a time per handler, in arrival order; a slow handler delays only
 * itself (beyond its queue capacity its messages are dropped and counted). An exception is logged
 * and the handler keeps receiving.
 */
@FunctionalInterface
public interface TopicHandler {

  /**
   * Handles one message that passed GossipSub's checks and the security manager.
   *
   * @param message the message
   * @throws Exception logged
   */
  void onMessage(TopicMessage message) throws Exception;
}
