package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/**
 * Splits an outbound RPC that would exceed the RPC size limit into several that do not, because
 * peers enforce such a limit and reset the stream of a sender that exceeds it (an IWANT answered
 * with many cached messages, a heartbeat with IHAVEs of many topics). The parts are its
 * subscriptions, messages and control entries, packed in order; a part that alone exceeds the limit
 * travels alone. Stateless.
 */
final class RpcFragmenter {
  /** Room kept for the RPC's own framing and the control message wrapper. */
  private static final int SLACK = 16;

  private RpcFragmenter() {}

  /**
   * {@code rpc} itself when it fits {@code limit} bytes, else parts that each fit when possible.
   */
  static List<RPC> split(RPC rpc, int limit) {
    if (rpc.getSerializedSize() <= limit) {
      return List.of(rpc);
    }
    Packer p = new Packer(limit);
    rpc.getSubscriptionsList().forEach(s -> p.add(s, b -> b.addSubscriptions(s)));
    rpc.getPublishList().forEach(m -> p.add(m, b -> b.addPublish(m)));
    if (rpc.hasControl()) {
      ControlMessage c = rpc.getControl();
      c.getIhaveList().forEach(x -> p.add(x, b -> control(b).addIhave(x)));
      c.getIwantList().forEach(x -> p.add(x, b -> control(b).addIwant(x)));
      c.getGraftList().forEach(x -> p.add(x, b -> control(b).addGraft(x)));
      c.getPruneList().forEach(x -> p.add(x, b -> control(b).addPrune(x)));
      c.getIdontwantList().forEach(x -> p.add(x, b -> control(b).addIdontwant(x)));
    }
    return p.finish();
  }

  private static ControlMessage.Builder control(RPC.Builder b) {
    return b.getControlBuilder();
  }

  private static final class Packer {
    private final int limit;
    private final List<RPC> out = new ArrayList<>();
    private RPC.Builder current = RPC.newBuilder();
    private int size;

    Packer(int limit) {
      this.limit = limit;
    }

    void add(MessageLite part, java.util.function.Consumer<RPC.Builder> put) {
      int n = part.getSerializedSize();
      // a field's tag and length prefix, nested once more for control entries
      int cost = n + 2 * (1 + CodedOutputStream.computeUInt32SizeNoTag(n));
      if (size > 0 && size + cost + SLACK > limit) {
        out.add(current.build());
        current = RPC.newBuilder();
        size = 0;
      }
      put.accept(current);
      size += cost;
    }

    List<RPC> finish() {
      if (size > 0) {
        out.add(current.build());
      }
      return out;
    }
  }
}
