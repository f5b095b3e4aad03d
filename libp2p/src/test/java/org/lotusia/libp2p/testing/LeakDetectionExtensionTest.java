package org.lotusia.libp2p.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves that the leak extension sees a leaked buffer, so a real leak cannot pass silently. */
class LeakDetectionExtensionTest {

  @Test
  void aDroppedBufferIsReported() throws InterruptedException {
    leakOne();
    List<String> leaks = LeakDetectionExtension.collectLeaks();
    assertThat(leaks).isNotEmpty();
    assertThat(leaks.get(0)).contains("LEAK");
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(32);
    leaked.writeInt(42); // never released: the detector must report it once it is collected
  }
}
