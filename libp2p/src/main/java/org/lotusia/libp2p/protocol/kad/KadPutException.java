package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import org.lotusia.libp2p.PeerId;

/**
 * A put that fewer remote peers confirmed than {@link PutOptions#minReplicas()} asked for. The
 * record is stored locally all the same and is republished later.
 */
public final class KadPutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<PeerId> storedAt;
  private final int required;

  /** Creates the exception. */
  public KadPutException(List<PeerId> storedAt, int required) {
    super(
        "the record was stored at "
            + storedAt.size()
            + " remote peers, "
            + required
            + " required");
    this.storedAt = List.copyOf(storedAt);
    this.required = required;
  }

  /** The peers that confirmed storing the record. */
  public List<PeerId> storedAt() {
    return storedAt;
  }

  /** The confirmations the put required. */
  public int required() {
    return required;
  }
}
