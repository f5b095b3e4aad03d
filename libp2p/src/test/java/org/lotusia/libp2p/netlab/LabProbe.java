package org.lotusia.libp2p.netlab;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Measures what a lab link does, from inside its namespaces (run by {@link LabProcess}). Roles:
 *
 * <ul>
 *   <li>{@code echo <ip> <port>}: answers every UDP datagram with itself, and accepts TCP
 *       connections on the same port, reading each to its end and then answering one byte;
 *   <li>{@code client}: waits for commands {@code probe <ip> <port> <count> <intervalMs>} (UDP round
 *       trips: answers {@code probe sent=N received=M rtts=ms,ms,...}) and {@code tcp <ip> <port>
 *       <bytes>} (answers {@code tcp bytes=N ms=T}, the time until the echo's byte came back).
 * </ul>
 */
public final class LabProbe {

  private LabProbe() {}

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(LabProcess.PREFIX + line);
      System.out.flush();
    }
  }

  /** Runs a probe; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("echo")) {
      echo(args[1], Integer.parseInt(args[2]));
    }
    say("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      try {
        switch (w[0]) {
          case "probe" -> say(probe(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]),
              Integer.parseInt(w[4])));
          case "tcp" -> say(tcp(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3])));
          case "quit" -> System.exit(0);
          default -> say("error unknown command " + w[0]);
        }
      } catch (Exception e) {
        say(w[0] + " error " + e);
      }
    }
    System.exit(0);
  }

  private static void echo(String ip, int port) throws Exception {
    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(ip, port));
    daemon(() -> {
      byte[] buf = new byte[2048];
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        udp.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
      }
    });
    ServerSocket tcp = new ServerSocket();
    tcp.bind(new InetSocketAddress(ip, port));
    daemon(() -> {
      while (true) {
        Socket s = tcp.accept();
        daemon(() -> {
          try (s) {
            InputStream i = s.getInputStream();
            byte[] buf = new byte[65536];
            while (i.read(buf) >= 0) {
              // drain to the end of the sender's stream
            }
            s.getOutputStream().write(1);
            s.getOutputStream().flush();
          }
        });
      }
    });
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void daemon(Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        // the socket closed with the process
      }
    }, "probe");
    t.setDaemon(true);
    t.start();
  }

  private static String probe(String ip, int port, int count, int intervalMs) throws Exception {
    ConcurrentHashMap<Integer, Long> rtt = new ConcurrentHashMap<>();
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(200);
      InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(ip), port);
      long[] sent = new long[count];
      Thread receiver = new Thread(() -> {
        byte[] buf = new byte[64];
        while (!Thread.currentThread().isInterrupted()) {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          try {
            s.receive(p);
          } catch (SocketTimeoutException e) {
            continue;
          } catch (Exception e) {
            return;
          }
          long now = System.nanoTime();
          int seq = ByteBuffer.wrap(buf, 0, 4).getInt();
          if (seq >= 0 && seq < count) {
            rtt.putIfAbsent(seq, now - sent[seq]);
          }
        }
      }, "probe-receiver");
      receiver.setDaemon(true);
      receiver.start();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long at = start + TimeUnit.MILLISECONDS.toNanos((long) i * intervalMs);
        long wait = at - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // the probe's send schedule, not a test's wait
        }
        sent[i] = System.nanoTime();
        byte[] b = ByteBuffer.allocate(32).putInt(i).array();
        try {
          s.send(new DatagramPacket(b, b.length, to));
        } catch (java.io.IOException e) {
          // refused locally (no route, a filter): the probe is lost like any other
        }
      }
      TimeUnit.SECONDS.sleep(2); // answers still in flight on a slow link
      receiver.interrupt();
      receiver.join(2000);
    }
    StringBuilder list = new StringBuilder();
    for (long v : rtt.values()) {
      list.append(list.length() == 0 ? "" : ",")
          .append(String.format(Locale.ROOT, "%.2f", v / 1e6));
    }
    return "probe sent=" + count + " received=" + rtt.size() + " rtts=" + list;
  }

  private static String tcp(String ip, int port, int bytes) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, port), 30_000);
      long t0 = System.nanoTime();
      OutputStream o = s.getOutputStream();
      byte[] chunk = new byte[16384];
      for (int left = bytes; left > 0; left -= chunk.length) {
        o.write(chunk, 0, Math.min(left, chunk.length));
      }
      s.shutdownOutput();
      int ack = s.getInputStream().read();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return "tcp bytes=" + bytes + " ms=" + ms + (ack == 1 ? "" : " error no answer");
    }
  }
}
