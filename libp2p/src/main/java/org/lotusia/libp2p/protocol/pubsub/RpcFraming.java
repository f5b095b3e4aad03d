package org.lotusia.libp2p.protocol.pubsub;

import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/**
 * The unsigned-varint length-prefixed framing of pubsub RPCs on a stream, with the host's one
 * {@link VarintFramer}: a frame longer than the limit is refused as soon as its prefix is read, and
 * a prefix that is not minimally encoded is refused.
 */
final class RpcFraming {
  private RpcFraming() {}

  /** The length-prefixed encoding of {@code rpc}. */
  static byte[] encode(RPC rpc) {
    return VarintFramer.frame(rpc.toByteArray());
  }

  /** A decoder for one inbound stream, refusing RPCs above {@code maxRpcSize} bytes. */
  static VarintFramer decoder(int maxRpcSize) {
    return new VarintFramer(maxRpcSize, "pubsub: RPC");
  }
}
