package org.lotusia.libp2p.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;

/**
 * Raw TCP sockets to a host, opened from a chosen loopback address (Linux routes all of 127/8 to
 * the loopback interface), for attacks that never speak libp2p. Closes them all at the end.
 */
final class RawSockets implements AutoCloseable {

  /** The multistream-select header a libp2p peer sends first: a varint length, then the ID. */
  private static final byte[] MSS_HEADER =
      withLength("/multistream/1.0.0\n".getBytes(StandardCharsets.US_ASCII));

  private final List<Socket> sockets = new ArrayList<>();

  /** Opens one idle socket from {@code fromIp} to the host's first TCP listen address. */
  Socket open(String fromIp, Host target) throws IOException {
    Multiaddr addr = target.listenAddresses().get(0);
    String[] parts = addr.toString().split("/");
    int port = Integer.parseInt(parts[4]);
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(InetAddress.getByName(fromIp), 0));
    s.connect(new InetSocketAddress(InetAddress.getByName(parts[2]), port), 10_000);
    return s;
  }

  /** Opens {@code n} idle sockets from {@code fromIp}. */
  List<Socket> open(String fromIp, Host target, int n) throws IOException {
    List<Socket> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(open(fromIp, target));
    }
    return out;
  }

  /**
   * Whether the host admitted {@code s} to its upgrade: it answers the multistream-select header
   * with its own. A refused socket was closed by the host, so the read sees the end of the stream.
   */
  static boolean admitted(Socket s) throws IOException {
    s.setSoTimeout(30_000);
    try {
      OutputStream out = s.getOutputStream();
      out.write(MSS_HEADER);
      out.flush();
    } catch (IOException e) {
      return false; // reset by the host: refused
    }
    InputStream in = s.getInputStream();
    try {
      int first = in.read();
      return first == MSS_HEADER[0];
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return false; // reset by the host: refused
    }
  }

  private static byte[] withLength(byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) body.length;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  @Override
  public void close() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing a test socket: nothing to do
      }
    }
  }
}
