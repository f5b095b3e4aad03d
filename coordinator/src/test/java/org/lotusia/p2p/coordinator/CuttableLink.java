package org.lotusia.p2p.coordinator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link on loopback that a test can break like a failing network: every byte is forwarded to
 * a target port until {@link #cut()} resets both sides of every connection (no goodbye of any
 * protocol reaches either end) and refuses new ones.
 */
final class CuttableLink implements AutoCloseable {

  private final ServerSocket server;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  CuttableLink(int targetPort) throws IOException {
    this.target = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "lotus-test-link");
    accept.setDaemon(true);
    accept.start();
  }

  /** The port to dial instead of the target's. */
  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket();
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        // closed by cut(), or the target refused: the dialler sees its connection end
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream i = from.getInputStream();
                  OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buf)) >= 0) {
                  o.write(buf, 0, n);
                }
              } catch (IOException e) {
                // the link was cut or an end went away
              }
            },
            "lotus-test-link-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Resets every forwarded connection (RST, as a failed link) and refuses new ones. */
  void cut() throws IOException {
    server.close();
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
