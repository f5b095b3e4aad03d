package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.host.Hosts.join;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.StreamResetException;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.perf.Perf;
import org.lotusia.libp2p.protocol.perf.PerfResult;

class PerfTest {

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @ParameterizedTest
  @CsvSource({"0,0", "1,0", "0,1", "100000,3000000", "5000000,65536"})
  void perfTransfersTheRequestedSizes(long up, long down) {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    PerfResult r = join(join(a.newStream(b.listenAddresses().get(0), new Perf())).run(up, down));
    assertThat(r.uploaded()).isEqualTo(up);
    assertThat(r.downloaded()).isEqualTo(down);
    assertThat(r.totalTime()).isPositive();
  }

  @Test
  void serverRefusesDownloadsAboveItsLimit() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    b.addProtocol(new Perf(1000)); // replaces the default responder
    assertThat(join(join(a.newStream(b.listenAddresses().get(0), new Perf())).run(10, 1000))
        .downloaded()).isEqualTo(1000);
    assertThatThrownBy(() -> join(join(a.newStream(b.listenAddresses().get(0), new Perf()))
        .run(10, 1001))).isInstanceOf(StreamResetException.class);
  }
}
