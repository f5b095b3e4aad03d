package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.musig2.p2p.SessionConfig;

/** The demo's 3-of-3 step: three coordinators sign, the values it prints check out. */
class MuSig2DemoTest {

  @Test
  void threeCoordinatorsSignAndTheSignatureVerifies() {
    try (NetCluster c = new NetCluster(3, 99, SessionConfig.defaults())) {
      c.connectAll();
      MuSig2Demo.Result r = NetCluster.join(MuSig2Demo.threeOfThree(c.nodes));
      assertThat(r.verified()).isTrue();
      HexFormat hex = HexFormat.of();
      assertThat(r.aggregateKey()).hasSize(66);
      assertThat(r.message()).hasSize(64);
      assertThat(LotusSchnorr.verify(hex.parseHex(r.signature()), hex.parseHex(r.aggregateKey()),
          hex.parseHex(r.message()))).isTrue();
      // the bindings are gone: the nodes can run it again
      MuSig2Demo.Result again = NetCluster.join(MuSig2Demo.threeOfThree(c.nodes));
      assertThat(again.verified()).isTrue();
      assertThat(again.signature()).isNotEqualTo(r.signature());
      assertThatThrownBy(() -> MuSig2Demo.threeOfThree(List.of(c.nodes.get(0))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("needs 3 coordinators");
    }
  }
}
