package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refund journal on disk: what is recorded comes back, and a damaged file is never lost. */
class RefundJournalTest {

  private static RefundJournal.Entry entry(String pool, int round) {
    return new RefundJournal.Entry(
        pool, round, "ab".repeat(32), 1, "cd".repeat(32), "0200", 999_000, 8, 1, 1_700_000_000_000L);
  }

  @Test
  void recordedEntriesComeBackAndAreRemovedByPool(@TempDir Path dir) {
    RefundJournal j = new RefundJournal(dir.resolve("refunds"));
    j.record(entry("aa", 1));
    j.record(entry("aa", 2));
    j.record(entry("bb", 1));
    // a new journal over the same directory, as after a restart
    RefundJournal again = new RefundJournal(dir.resolve("refunds"));
    assertThat(again.entries()).containsExactlyInAnyOrder(entry("aa", 1), entry("aa", 2), entry("bb", 1));
    again.removePool("aa");
    assertThat(again.entries()).containsExactly(entry("bb", 1));
    again.remove(entry("bb", 1));
    assertThat(again.entries()).isEmpty();
  }

  @Test
  void recordingTheSameRoundAgainReplacesIt(@TempDir Path dir) throws Exception {
    RefundJournal j = new RefundJournal(dir);
    j.record(entry("aa", 1));
    RefundJournal.Entry newer =
        new RefundJournal.Entry("aa", 1, "ab".repeat(32), 1, "ef".repeat(32), "0201", 999_000, 8, 1, 5L);
    j.record(newer);
    assertThat(j.entries()).containsExactly(newer);
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("aa-1.json");
    }
  }

  @Test
  void damagedOrMisnamedFilesAreKeptAndSkipped(@TempDir Path dir) throws Exception {
    RefundJournal j = new RefundJournal(dir);
    j.record(entry("aa", 1));
    Files.writeString(dir.resolve("bb-1.json"), "{\"poolId\":\"bb\",");
    Files.copy(dir.resolve("aa-1.json"), dir.resolve("cc-1.json"));
    Files.writeString(dir.resolve("notes.txt"), "not an entry");
    assertThat(j.entries()).containsExactly(entry("aa", 1));
    j.removePool("bb");
    j.removePool("cc");
    assertThat(dir.resolve("bb-1.json")).exists();
    assertThat(dir.resolve("cc-1.json")).exists();
  }

  @Test
  void entriesOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new RefundJournal.Entry(
            "../x", 1, "ab", 1, "cd", "00", 1, 8, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> new RefundJournal.Entry(
            "aa", 1, "ab", 1, "cd", "00", 1, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
