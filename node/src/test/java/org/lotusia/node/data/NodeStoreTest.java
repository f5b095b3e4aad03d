package org.lotusia.node.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.protocol.kad.RecordPersistence;
import org.lotusia.libp2p.protocol.kad.RecordPersistence.StoredProvider;
import org.lotusia.libp2p.protocol.kad.RecordPersistence.StoredRecord;

/** The node database: what it keeps survives a reopen; a locked, corrupt or foreign file is refused by name. */
class NodeStoreTest {

  @TempDir Path tmp;

  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordsProvidersAndPeersSurviveAReopen() {
    Path file = tmp.resolve("node.db");
    PeerId owner = peer();
    Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (NodeStore s = NodeStore.open(file)) {
      RecordPersistence p = s.dhtPersistence();
      p.recordStored(new StoredRecord(utf8("k1"), utf8("v1"), t, owner));
      p.recordStored(new StoredRecord(utf8("k2"), utf8("v2"), t, owner));
      p.recordRemoved(utf8("k2"));
      p.providerStored(new StoredProvider(utf8("mh"), owner, t));
      s.savePeers(List.of(new KnownPeer(owner.toBase58(), List.of("/ip4/127.0.0.1/tcp/4001"), t)));
    }
    try (NodeStore s = NodeStore.open(file)) {
      RecordPersistence p = s.dhtPersistence();
      assertThat(p.loadRecords()).containsExactly(new StoredRecord(utf8("k1"), utf8("v1"), t, owner));
      assertThat(p.loadProviders()).containsExactly(new StoredProvider(utf8("mh"), owner, t));
      assertThat(s.loadPeers()).containsExactly(new KnownPeer(owner.toBase58(), List.of("/ip4/127.0.0.1/tcp/4001"), t));
      assertThat(s.dhtEntries()).isEqualTo(2);
    }
  }

  @Test
  void aSecondOpenIsRefusedWhileTheFirstHoldsTheLock() {
    Path file = tmp.resolve("node.db");
    try (NodeStore first = NodeStore.open(file)) {
      assertThatThrownBy(() -> NodeStore.open(file))
          .isInstanceOf(DataDirException.class)
          .hasMessageStartingWith(file + " is locked");
      assertThat(first.dhtEntries()).as("the refused open leaves the first store usable").isZero();
    }
    NodeStore.open(file).close();
  }

  @Test
  void aCorruptFileIsRefusedAndLeftAsItIs() throws Exception {
    Path file = tmp.resolve("node.db");
    byte[] junk = "H:2,block:0,blockSize:1000,chunk:0,created:zz,format:3,fletcher:0\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
    Files.write(file, junk);
    assertThatThrownBy(() -> NodeStore.open(file))
        .isInstanceOf(DataDirException.class)
        .hasMessageContaining(file.toString());
    assertThat(Files.readAllBytes(file)).isEqualTo(junk);
  }

  @Test
  void anotherMvStoreDatabaseIsNotTakenForANodeDatabase() {
    Path file = tmp.resolve("other.db");
    MVStore other = MVStore.open(file.toString());
    other.openMap("accounts").put("alice", 1);
    other.close();
    assertThatThrownBy(() -> NodeStore.open(file))
        .isInstanceOf(DataDirException.class)
        .hasMessage(file + " has no format marker: it is not a lotus-p2p node database");
  }

  @Test
  void unreadableEntriesAreDroppedNotFatal() {
    Path file = tmp.resolve("node.db");
    NodeStore.open(file).close();
    MVStore raw = MVStore.open(file.toString());
    raw.<String, byte[]>openMap("dht.records").put("ff", new byte[] {9, 9, 9});
    raw.<String, byte[]>openMap("peers").put("x", new byte[] {1});
    raw.close();
    try (NodeStore s = NodeStore.open(file)) {
      assertThat(s.dhtPersistence().loadRecords()).isEmpty();
      assertThat(s.loadPeers()).isEmpty();
      assertThat(s.dhtEntries()).isZero();
    }
  }

  @Test
  void aDataDirectoryThatIsAFileIsAUsageError() throws Exception {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(() -> DataDir.open(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--data-dir " + file + " is a file, not a directory");
  }
}
