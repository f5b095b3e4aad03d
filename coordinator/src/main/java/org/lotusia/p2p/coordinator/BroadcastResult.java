package org.lotusia.p2p.coordinator;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link P2PCoordinator#broadcast}: which peers the message was handed to and
 * which sends failed (lotus-sdk only logs failures; they are reported here).
 *
 * @param sent peers whose stream took the whole message
 * @param failed peers whose send failed, with the reason
 * @param selfDelivered whether this node's own handler of the message's protocol got it
 */
public record BroadcastResult(List<String> sent, Map<String, String> failed, boolean selfDelivered) {

  /** Copies the collections. */
  public BroadcastResult {
    sent = List.copyOf(sent);
    failed = Map.copyOf(failed);
  }
}
