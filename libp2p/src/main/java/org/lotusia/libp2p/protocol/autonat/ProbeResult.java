package org.lotusia.libp2p.protocol.autonat;

import java.util.List;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;

/**
 * The outcome of one AutoNAT probe.
 *
 * @param server the peer that was asked
 * @param version 1 or 2
 * @param addresses the addresses the outcome is about: the one the server dialled (v2), or those
 *     sent (v1 failure), or the one reported (v1 success); empty when inconclusive
 * @param outcome {@link Verdict#REACHABLE}, {@link Verdict#UNREACHABLE}, or {@link
 *     Verdict#UNKNOWN} when the probe said nothing firm (refused, rejected, dial-back error, no
 *     nonce)
 * @param detail what happened, for logs
 */
public record ProbeResult(
    PeerId server, int version, List<Multiaddr> addresses, Verdict outcome, String detail) {

  /** Copies the list. */
  public ProbeResult {
    addresses = List.copyOf(addresses);
  }

  static ProbeResult inconclusive(PeerId server, int version, String detail) {
    return new ProbeResult(server, version, List.of(), Verdict.UNKNOWN, detail);
  }
}
