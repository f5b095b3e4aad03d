package org.lotusia.musig2.p2p;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.musig2.p2p.wire.Participant;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/**
 * Which peer speaks for each signer index of one session. The creator fills it as signers join;
 * a joiner knows only the creator and itself until the creator's participant list arrives. A peer
 * holds at most one index. Confined to the manager's thread.
 */
final class ParticipantMap {

  private final SessionAnnouncement announcement;
  private final String[] peers;

  ParticipantMap(SessionAnnouncement announcement, List<String> initial) {
    this.announcement = announcement;
    this.peers = new String[announcement.requiredSigners()];
    for (int i = 0; i < peers.length && i < initial.size(); i++) {
      peers[i] = initial.get(i);
    }
  }

  int size() {
    return peers.length;
  }

  /** The peer of a signer index, or null when not known (yet). */
  String peer(int index) {
    return peers[index];
  }

  /** The index the peer holds, or -1. */
  int indexOf(String peerId) {
    for (int i = 0; i < peers.length; i++) {
      if (peerId.equals(peers[i])) {
        return i;
      }
    }
    return -1;
  }

  void bind(int index, String peerId) {
    peers[index] = peerId;
  }

  boolean complete() {
    for (String p : peers) {
      if (p == null) {
        return false;
      }
    }
    return true;
  }

  int known() {
    int k = 0;
    for (String p : peers) {
      if (p != null) {
        k++;
      }
    }
    return k;
  }

  /** Signer indices whose peer is not known. */
  List<Integer> missing() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < peers.length; i++) {
      if (peers[i] == null) {
        out.add(i);
      }
    }
    return out;
  }

  /** The full list; only when complete. */
  List<Participant> participants() {
    List<Participant> out = new ArrayList<>(peers.length);
    for (int i = 0; i < peers.length; i++) {
      out.add(new Participant(i, peers[i], announcement.signer(i)));
    }
    return out;
  }

  /** The peer IDs by index, nulls for unknown ones (for the session record). */
  List<String> asList() {
    return Arrays.asList(peers.clone());
  }

  /** "signer 3 (peer X)" for reasons and logs. */
  String describe(int index) {
    return "signer " + index + (peers[index] == null ? "" : " (peer " + peers[index] + ")");
  }
}
