package org.lotusia.libp2p.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.lotusia.libp2p.record.Envelope;
import org.lotusia.libp2p.record.PeerRecord;

/**
 * Fuzzes the signed envelope and peer record decoders (identify's signed peer record, relay
 * vouchers). The build runs the seeds; its fuzzing pass fuzzes it. Contract: a decoder refuses
 * only with {@link IllegalArgumentException}.
 */
class SignedRecordFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void envelopesAndRecords(@NotNull byte[] input) {
    try {
      Envelope.decode(input, Envelope.DEFAULT_MAX_BYTES);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
    try {
      PeerRecord.decode(input, PeerRecord.DEFAULT_MAX_ADDRESSES);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
  }
}
