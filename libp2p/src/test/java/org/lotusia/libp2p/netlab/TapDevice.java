package org.lotusia.libp2p.netlab;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TAP device opened from Java through JNA: {@code open("/dev/net/tun")} and {@code
 * ioctl(TUNSETIFF)} attach this process to an existing persistent TAP device (made by {@code ip
 * tuntap add ... mode tap} in the calling process's network namespace); {@link #read} returns the
 * next Ethernet frame the kernel sent out of it, {@link #write} makes a frame arrive on it.
 *
 * <p>Java has no API for TUN/TAP, and the kernels of this project's machines have no {@code
 * netem}; JNA (a well-kept library for calling libc) is the smallest way to a user-space link.
 *
 * <p>Threading: one thread may block in {@link #read} while others {@link #write}; {@link #close}
 * from any thread.
 */
final class TapDevice implements AutoCloseable {

  /** The largest frame read: an Ethernet MTU of 1500 plus header, with room to spare. */
  static final int MAX_FRAME = 2048;

  private static final int O_RDWR = 2;
  private static final long TUNSETIFF = 0x400454caL;
  private static final short IFF_TAP = 0x0002;
  private static final short IFF_NO_PI = 0x1000;
  private static final int IFREQ_SIZE = 40;

  /** The libc functions used. */
  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags);

    int ioctl(int fd, NativeLong request, byte[] ifreq);

    NativeLong read(int fd, byte[] buf, NativeLong count);

    NativeLong write(int fd, byte[] buf, NativeLong count);

    int close(int fd);
  }

  private final String name;
  private final int fd;
  private volatile boolean closed;

  private TapDevice(String name, int fd) {
    this.name = name;
    this.fd = fd;
  }

  /**
   * Attaches to the TAP device {@code name} of the current network namespace.
   *
   * @throws IOException when {@code /dev/net/tun} cannot be opened or the device not attached
   */
  static TapDevice attach(String name) throws IOException {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    if (n.length == 0 || n.length > 15) {
      throw new IllegalArgumentException("an interface name has 1 to 15 characters, got '" + name + "'");
    }
    int fd = LibC.INSTANCE.open("/dev/net/tun", O_RDWR);
    if (fd < 0) {
      throw new IOException("cannot open /dev/net/tun (errno " + Native.getLastError() + ")");
    }
    byte[] ifr = new byte[IFREQ_SIZE];
    System.arraycopy(n, 0, ifr, 0, n.length);
    short flags = (short) (IFF_TAP | IFF_NO_PI);
    // struct ifreq: char ifr_name[16], then short ifr_flags (little-endian on x86-64 and arm64)
    ifr[16] = (byte) flags;
    ifr[17] = (byte) (flags >> 8);
    if (LibC.INSTANCE.ioctl(fd, new NativeLong(TUNSETIFF), ifr) < 0) {
      int errno = Native.getLastError();
      LibC.INSTANCE.close(fd);
      throw new IOException("TUNSETIFF " + name + " failed (errno " + errno + ")");
    }
    return new TapDevice(name, fd);
  }

  /** The interface name. */
  String name() {
    return name;
  }

  /**
   * Blocks for the next frame; its length, or -1 once the device is closed or failed.
   *
   * @param buf at least {@link #MAX_FRAME} bytes
   */
  int read(byte[] buf) {
    if (closed) {
      return -1;
    }
    long n = LibC.INSTANCE.read(fd, buf, new NativeLong(buf.length)).longValue();
    return n < 0 || closed ? -1 : (int) n;
  }

  /** Makes {@code frame[0..len)} arrive on the device; false when the kernel refused it. */
  boolean write(byte[] frame, int len) {
    return !closed && LibC.INSTANCE.write(fd, frame, new NativeLong(len)).longValue() == len;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(fd);
    }
  }
}
