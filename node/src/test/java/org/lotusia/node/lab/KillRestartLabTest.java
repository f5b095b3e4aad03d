package org.lotusia.node.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.netlab.ShapedLan.Shape;
import org.lotusia.musig2.p2p.wire.MessageType;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/**
 * {@code kill -9} of a node in the middle of a 5-of-5 MuSig2 session (after every nonce is in,
 * before its partial signature leaves) and in the middle of a resource announcement, then a restart
 * on the same data directory: it comes back with the same identity, signer key and DHT records;
 * the others see it leave and return; the session ends aborted with a reason everywhere (on the
 * restarted node by its recovery, which never makes a second nonce; on the others by its abort
 * message or their timeout, never by an equivocation verdict) and completes nowhere; every file
 * of the data directory reads back.
 *
 * <p>Skipped with the reason where namespaces cannot be made, a failure in CI.
 */
class KillRestartLabTest {

  private static final Set<String> CLEAN_ABORTS = Set.of("ABORTED_BY_PEER", "TIMEOUT");

  @Test
  @Timeout(900)
  void aKilledNodeComesBackWithItsStateAndItsSessionAbortsEverywhere(@TempDir Path tmp)
      throws Exception {
    LabRequirement.require();
    int n = 5;
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dirs.add(tmp.resolve("node" + i));
    }
    int victim = 4;
    try (LabCluster c = new LabCluster(n, new Shape(20, 5, 0, 0), dirs)) {
      String victimId = c.peerIds.get(victim);
      String victimKey = c.signerKeys.get(victim);
      for (int i = 0; i < n; i++) {
        c.poll(i, "topicpeers " + SessionAnnouncement.TOPIC,
            s -> s.equals("topicpeers " + (n - 1)), LabCluster.STEP);
      }
      assertThat(c.node(victim).call("announce lab-res k1 v1", LabCluster.STEP))
          .isEqualTo("announce ok");
      c.poll(0, "discover lab-res k1", "discover v1"::equals, LabCluster.STEP);

      // the victim's partial signature never leaves: the session stops after the nonces
      assertThat(c.node(victim).call("hold " + MessageType.PARTIAL_SIG_SHARE.wire(),
          LabCluster.STEP)).isEqualTo("hold ok");
      byte[] msg = MessageDigest.getInstance("SHA-256")
          .digest("lab kill -9".getBytes(StandardCharsets.UTF_8));
      String created = c.node(0).call("musig " + HexFormat.of().formatHex(msg) + " "
          + String.join(",", c.signerKeys), LabCluster.STEP);
      assertThat(created).doesNotContain("error");
      String sessionId = created.split(" ")[1];
      String nonces = "nonces " + sessionId;
      c.node(victim).await(nonces, nonces::equals, LabCluster.STEP);

      // mid-announcement: the kill follows the command at once
      c.node(victim).send("announce lab-res k2 v2");
      String[] ready = c.killAndRestart(victim);
      String down = "peer-down " + victimId;
      for (int i = 0; i < victim; i++) {
        c.node(i).await(down, down::equals, LabCluster.STEP);
      }

      // same identity and signer key; its session is recovered as aborted, with a reason
      assertThat(ready[1]).as("peer id after restart").isEqualTo(victimId);
      assertThat(ready[3]).as("signer key after restart").isEqualTo(victimKey);
      String recovered = c.node(victim).await("recovered", s -> s.startsWith("recovered "),
          LabCluster.STEP);
      assertThat(recovered).isEqualTo("recovered 1 [" + sessionId + "]");
      String check = c.node(victim).call("check", LabCluster.STEP);
      assertThat(check).contains("peer=" + victimId).contains("sessions=1")
          .containsPattern("dht=[1-9]").contains("identity.key").contains("node.db");
      for (int i = 0; i < victim; i++) {
        assertThat(c.node(victim).call("connect " + c.addrs.get(i), LabCluster.STEP))
            .isEqualTo("connect ok");
      }
      String up = "peer-up " + victimId;
      for (int i = 0; i < victim; i++) {
        c.node(i).await(up, up::equals, LabCluster.STEP);
      }
      String ended = c.node(victim).await("the victim's abort",
          s -> s.startsWith("aborted " + sessionId) || s.startsWith("done " + sessionId),
          LabCluster.STEP);
      assertThat(ended).as("the restarted node's session").startsWith("aborted " + sessionId);
      for (int i = 0; i < victim; i++) {
        String end = c.node(i).await("node " + i + "'s end of the session",
            s -> s.startsWith("aborted " + sessionId) || s.startsWith("done " + sessionId),
            LabCluster.STEP);
        System.out.println("node " + i + ": " + end);
        assertThat(end).as("node %d", i).startsWith("aborted " + sessionId);
        assertThat(end.split(" ")[2]).as("node %d's abort reason (%s)", i, end)
            .isIn(CLEAN_ABORTS);
      }
      assertThat(c.lines(victim, "nonces ")).as("no second nonce round after the restart")
          .isEmpty();

      // its records are still served, and it works as before
      c.poll(0, "discover lab-res k1", "discover v1"::equals, LabCluster.STEP);
      assertThat(c.node(victim).call("announce lab-res k3 v3", LabCluster.STEP))
          .isEqualTo("announce ok");
      c.poll(1, "discover lab-res k3", "discover v3"::equals, LabCluster.STEP);
      System.out.println("after kill -9 and restart: " + check);
    }
  }
}
