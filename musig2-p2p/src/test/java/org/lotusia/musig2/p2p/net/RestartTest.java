package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.musig2.p2p.AbortReason;
import org.lotusia.musig2.p2p.FileSessionStore;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionPhase;
import org.lotusia.musig2.p2p.SessionRecord;
import org.lotusia.musig2.p2p.SessionStore;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.musig2.p2p.wire.MessageType;

/**
 * A signer's node restarts in the middle of a session: its coordinator stops and starts again
 * with the same identity, and sessions are wired to it again over the same file session store.
 * The store says a nonce was issued, so the node never signs that session: it tells the others it
 * restarted, and they abort naming it, long before any timeout. Then the same three nodes sign a
 * new session.
 */
class RestartTest {

  /** A file store that stops writing when the process "dies", as a killed process would. */
  static final class CrashableStore implements SessionStore {
    private final FileSessionStore files;
    private volatile boolean dead;

    CrashableStore(Path dir) {
      this.files = new FileSessionStore(dir);
    }

    void crash() {
      dead = true;
    }

    @Override
    public void save(SessionRecord record) {
      if (!dead) {
        files.save(record);
      }
    }

    @Override
    public Optional<SessionRecord> load(String sessionId) {
      return files.load(sessionId);
    }

    @Override
    public List<SessionRecord> loadAll() {
      return files.loadAll();
    }

    @Override
    public void delete(String sessionId) {
      if (!dead) {
        files.delete(sessionId);
      }
    }
  }

  @Test
  void aSignerRestartingMidSessionIsReportedAndSignsTheNextSession(@TempDir Path dir)
      throws Exception {
    CrashableStore store = new CrashableStore(dir);
    try (NetCluster c = new NetCluster(3, 21, SessionConfig.defaults())) {
      c.customize((i, b) -> i == 2 ? b.store(store) : b).connectAll().bindAll();
      // node 0 holds back its nonce, so node 2 issues its own and waits
      CompletableFuture<Void> gate = c.shaped.get(0).hold(MessageType.NONCE_SHARE);
      c.awaitTopicPeers(0);
      SessionHandle h = c.create(0, NetworkSessionsTest.message("before restart"),
          SessionOptions.defaults());
      String id = h.sessionId();
      await().atMost(NetCluster.WAIT)
          .until(() -> store.load(id).map(SessionRecord::nonceIssued).orElse(false));
      int signer2 = h.announcement().indexOf(c.publicKeys.get(2));

      // the process dies: nothing more reaches its disk, its node goes down
      ShapedNetwork beforeRestart = c.shaped.get(2);
      store.crash();
      NetCluster.join(c.nodes.get(2).stop());
      NetCluster.join(c.sessions.get(2).closeAsync()); // closed with the node
      NetCluster.join(c.nodes.get(2).start()); // same identity, new port
      String peer2 = c.nodes.get(2).peerId();
      for (int i : List.of(0, 1)) {
        NetCluster.join(c.nodes.get(2).connectToPeer(NetCluster.addr(c.nodes.get(i))));
      }
      c.customize((i, b) -> i == 2 ? b.store(new FileSessionStore(dir)) : b);
      MuSig2Sessions again = c.bind(2);
      assertThat(NetCluster.join(again.recovered())).containsExactly(id);

      for (int i : List.of(0, 1)) {
        AbortReason r = WireFaultsTest.abortOf(c, i, id);
        assertThat(r.code()).isEqualTo(AbortReason.Code.ABORTED_BY_PEER);
        assertThat(r.message()).contains("signer " + signer2 + " restarted after issuing its nonce");
      }
      assertThat(new FileSessionStore(dir).load(id).orElseThrow().phase())
          .isEqualTo(SessionPhase.ABORTED);
      assertThat(c.events(2, SessionEvent.SessionAborted.class))
          .anySatisfy(e -> assertThat(e.reason().code()).isEqualTo(AbortReason.Code.RESTARTED));
      assertThat(beforeRestart.sent).noneMatch(s -> s.is(MessageType.PARTIAL_SIG_SHARE));
      assertThat(c.shaped.get(2).sent).noneMatch(s -> s.is(MessageType.PARTIAL_SIG_SHARE));
      assertThat(c.nodes.get(2).peerId()).isEqualTo(peer2);

      // the three nodes sign the next session, the restarted one included
      gate.complete(null);
      c.shaped.get(0).heldType = null;
      c.awaitTopicPeers(0);
      byte[] msg = NetworkSessionsTest.message("after restart");
      SessionHandle next = c.create(0, msg, SessionOptions.defaults());
      byte[] key = TransactionSigning.aggregateKey(c.publicKeys);
      for (int i = 0; i < 3; i++) {
        assertThat(LotusSchnorr.verify(c.result(i, next.sessionId()).signature(), key, msg))
            .isTrue();
      }
    }
  }
}
