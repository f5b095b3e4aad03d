package org.lotusia.node.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.kad.RecordPersistence.StoredProvider;
import org.lotusia.libp2p.protocol.kad.RecordPersistence.StoredRecord;

/**
 * The byte layouts of the values kept in the store: length-prefixed fields with a leading format
 * byte, so that a later format can be told apart. A value that does not decode is reported with
 * {@link IllegalArgumentException}.
 */
final class Codec {
  private static final int FORMAT = 1;
  private static final int MAX_FIELD = 4 << 20;

  private Codec() {}

  static byte[] record(StoredRecord r) {
    return write(
        out -> {
          bytes(out, r.key());
          bytes(out, r.value());
          out.writeLong(r.timeReceived().toEpochMilli());
          bytes(out, r.owner().toBytes());
        });
  }

  static StoredRecord record(byte[] data) {
    return read(
        data,
        in ->
            new StoredRecord(
                bytes(in), bytes(in), Instant.ofEpochMilli(in.readLong()), PeerId.fromBytes(bytes(in))));
  }

  static byte[] provider(StoredProvider p) {
    return write(
        out -> {
          bytes(out, p.key());
          bytes(out, p.provider().toBytes());
          out.writeLong(p.timeAnnounced().toEpochMilli());
        });
  }

  static StoredProvider provider(byte[] data) {
    return read(
        data,
        in -> new StoredProvider(bytes(in), PeerId.fromBytes(bytes(in)), Instant.ofEpochMilli(in.readLong())));
  }

  static byte[] peer(KnownPeer p) {
    return write(
        out -> {
          out.writeUTF(p.peerId());
          out.writeLong(p.lastSeen().toEpochMilli());
          out.writeInt(p.addresses().size());
          for (String a : p.addresses()) {
            out.writeUTF(a);
          }
        });
  }

  static KnownPeer peer(byte[] data) {
    return read(
        data,
        in -> {
          String id = in.readUTF();
          Instant seen = Instant.ofEpochMilli(in.readLong());
          int n = in.readInt();
          if (n < 0 || n > 1000) {
            throw new IOException("bad address count " + n);
          }
          List<String> addrs = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            addrs.add(in.readUTF());
          }
          return new KnownPeer(id, addrs, seen);
        });
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeByte(FORMAT);
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }

  private static <T> T read(byte[] data, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown value format " + format);
      }
      T value = r.read(in);
      if (in.available() != 0) {
        throw new IllegalArgumentException(in.available() + " trailing bytes");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("undecodable stored value: " + e.getMessage(), e);
    }
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FIELD) {
      throw new IOException("bad field length " + n);
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("truncated field");
    }
    return b;
  }
}
