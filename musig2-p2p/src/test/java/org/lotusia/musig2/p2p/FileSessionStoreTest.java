package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.musig2.p2p.election.ElectionMethod;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/** Records on disk: round trip, replacement, bad files and names. */
class FileSessionStoreTest {

  static SessionRecord record(String id, SessionPhase phase) {
    byte[] a = new byte[33];
    a[0] = 2;
    a[32] = 1;
    byte[] b = a.clone();
    b[32] = 2;
    byte[] msg = new byte[32];
    SessionAnnouncement ann =
        new SessionAnnouncement(id, "peer-0", List.of(a, b), Hashes.sha256(msg), 1, 2, null, msg, a,
            ElectionMethod.LEXICOGRAPHIC, null, false, new byte[64]);
    return new SessionRecord(id, ann, b, phase, Arrays.asList("peer-0", null), true, false, null,
        null, 3, 10);
  }

  @Test
  void recordsSurviveAndAreReplacedWhole(@TempDir Path dir) {
    FileSessionStore store = new FileSessionStore(dir);
    String id = "0123456789abcdef0123456789abcdef";
    store.save(record(id, SessionPhase.NONCES));
    store.save(record(id, SessionPhase.ABORTED));
    FileSessionStore reopened = new FileSessionStore(dir);
    SessionRecord r = reopened.load(id).orElseThrow();
    assertThat(r.phase()).isEqualTo(SessionPhase.ABORTED);
    assertThat(r.peerIds()).containsExactly("peer-0", null);
    assertThat(r.nonceIssued()).isTrue();
    assertThat(r.toJson().toString()).isEqualTo(record(id, SessionPhase.ABORTED).toJson().toString());
    assertThat(reopened.loadAll()).hasSize(1);
    reopened.delete(id);
    assertThat(reopened.loadAll()).isEmpty();
  }

  @Test
  void unreadableFilesAreSkippedAndBadNamesRefused(@TempDir Path dir) throws Exception {
    FileSessionStore store = new FileSessionStore(dir);
    Files.writeString(dir.resolve("ffffffffffffffffffffffffffffffff.json"), "{not json");
    Files.write(dir.resolve("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.json"),
        new byte[FileSessionStore.MAX_FILE_BYTES + 1]);
    Files.writeString(dir.resolve("notes.json"), "{}");
    store.save(record("0123456789abcdef0123456789abcdef", SessionPhase.JOINING));
    assertThat(store.loadAll()).hasSize(1);
    assertThatThrownBy(() -> store.save(record("../../etc/passwd", SessionPhase.JOINING)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 lower-case hex characters");
    assertThat(store.load("../x")).isEmpty();
  }
}
