package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.PeerId;

/** Records connection and peer events in the order a host delivers them, and checks that order. */
final class PeerEventRecorder implements HostListener {

  /** One delivered event. */
  record Event(String kind, PeerId peer, Connection connection) {}

  private final List<Event> events = new ArrayList<>();

  @Override
  public synchronized void connectionOpened(Connection connection) {
    events.add(new Event("open", connection.remotePeer(), connection));
  }

  @Override
  public synchronized void connectionClosed(Connection connection) {
    events.add(new Event("close", connection.remotePeer(), connection));
  }

  @Override
  public synchronized void peerConnected(PeerId peer) {
    events.add(new Event("connected", peer, null));
  }

  @Override
  public synchronized void peerDisconnected(PeerId peer) {
    events.add(new Event("disconnected", peer, null));
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized long count(String kind, PeerId peer) {
    return events.stream().filter(e -> e.kind().equals(kind) && e.peer().equals(peer)).count();
  }

  /** Whether every open of {@code peer} was closed and every connect followed by a disconnect. */
  synchronized boolean settled(PeerId peer) {
    long connected = count("connected", peer);
    return connected > 0
        && connected == count("disconnected", peer)
        && count("open", peer) == count("close", peer);
  }

  /**
   * Checks the events of {@code peer}: every connection opens once and closes once after it opened;
   * {@code connected} follows directly the open that makes the count 1 and {@code disconnected} the
   * close that makes it 0; the peer events alternate, starting with {@code connected}.
   */
  synchronized void assertWellOrdered(PeerId peer) {
    int open = 0;
    boolean connected = false;
    String expected = null;
    List<Connection> opened = new ArrayList<>();
    for (Event e : events) {
      if (!e.peer().equals(peer)) {
        continue;
      }
      if (expected != null) {
        assertThat(e.kind())
            .as("event after the open/close that changed the count")
            .isEqualTo(expected);
        expected = null;
      }
      switch (e.kind()) {
        case "open" -> {
          assertThat(opened).as("opened twice: %s", e.connection()).doesNotContain(e.connection());
          opened.add(e.connection());
          open++;
          expected = open == 1 ? "connected" : null;
        }
        case "close" -> {
          assertThat(opened).as("closed before open: %s", e.connection()).contains(e.connection());
          opened.remove(e.connection());
          open--;
          expected = open == 0 ? "disconnected" : null;
        }
        case "connected" -> {
          assertThat(connected).as("two peerConnected in a row").isFalse();
          assertThat(open).isEqualTo(1);
          connected = true;
        }
        case "disconnected" -> {
          assertThat(connected).as("peerDisconnected without peerConnected").isTrue();
          assertThat(open).isZero();
          connected = false;
        }
        default -> throw new AssertionError(e);
      }
    }
    assertThat(expected).as("the last open/close was not followed by its peer event").isNull();
  }
}
