package org.lotusia.libp2p.protocol.identify;

import java.util.List;
import java.util.Optional;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.crypto.IdentityPublicKey;

/**
 * What a peer told about itself in an identify message.
 *
 * @param protocolVersion e.g. {@code ipfs/0.1.0}; empty string when absent
 * @param agentVersion e.g. {@code lotus-p2p-java/0.1.0}; empty string when absent
 * @param publicKey the peer's key, verified against its peer ID
 * @param listenAddrs the addresses the peer listens on (undecodable entries dropped)
 * @param observedAddr the address the peer saw for us, if sent and decodable
 * @param protocols the protocols the peer supports
 * @param signedPeerRecord the signed peer record envelope, if sent and valid (signed by the peer
 *     about itself); open it with {@link org.lotusia.libp2p.record.PeerRecord#open(byte[])}
 */
public record IdentifyInfo(
    String protocolVersion,
    String agentVersion,
    IdentityPublicKey publicKey,
    List<Multiaddr> listenAddrs,
    Optional<Multiaddr> observedAddr,
    List<String> protocols,
    Optional<byte[]> signedPeerRecord) {

  /** Copies the lists. */
  public IdentifyInfo {
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
    signedPeerRecord = signedPeerRecord.map(byte[]::clone);
  }
}
