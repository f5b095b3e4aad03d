package org.lotusia.libp2p.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private key files.
 *
 * <p>Format: the file holds the protobuf {@code PrivateKey} message of the libp2p peer-id
 * specification, either as raw bytes (what {@link #save} writes; the same bytes go-libp2p and
 * js-libp2p use for a serialized identity) or as one line of standard base64 of those bytes (as
 * found in the {@code PrivKey} field of an IPFS config). The two are told apart by the first byte:
 * a protobuf key always starts with {@code 0x08}, which is not a base64 character.
 *
 * <p>On POSIX file systems {@link #save} creates the file with permissions {@code 600} (owner
 * read/write only) and replaces it atomically; {@link #load} warns when a key file is readable by
 * group or others.
 *
 * <p>Thread-safe (stateless); file operations block, so never call them on an event loop.
 */
public final class KeyFiles {

  private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);

  /** Largest accepted key file (base64 of the largest accepted key message plus a line break). */
  public static final int MAX_FILE_BYTES = KeyProtobuf.MAX_ENCODED_LENGTH * 4 / 3 + 8;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {}

  /**
   * Loads a private key file.
   *
   * @param path the file
   * @return the key
   * @throws IllegalArgumentException if the file is empty, too large, or does not hold a valid key
   *     (the message names the file and the problem)
   * @throws UncheckedIOException if the file cannot be read (including when it does not exist)
   */
  public static IdentityPrivateKey load(Path path) {
    byte[] content;
    try {
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "key file "
                + path
                + " is "
                + size
                + " bytes, more than the "
                + MAX_FILE_BYTES
                + " a key file may hold");
      }
      content = Files.readAllBytes(path);
      warnIfShared(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key file " + path, e);
    }
    try {
      return decode(content, path);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static IdentityPrivateKey decode(byte[] content, Path path) {
    if (content.length == 0) {
      throw new IllegalArgumentException("key file " + path + " is empty");
    }
    byte[] protobuf = content;
    if (content[0] != 0x08) {
      String text = new String(content, StandardCharsets.US_ASCII).strip();
      try {
        protobuf = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "key file "
                + path
                + " is neither a protobuf PrivateKey nor base64 of one: "
                + e.getMessage(),
            e);
      }
    }
    try {
      return Keys.decodePrivateKey(protobuf);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "key file " + path + " does not hold a valid private key: " + e.getMessage(), e);
    } finally {
      if (protobuf != content) {
        Arrays.fill(protobuf, (byte) 0);
      }
    }
  }

  /**
   * Saves a private key as raw protobuf, replacing any existing file atomically; owner-only
   * permissions where the file system supports POSIX permissions. Missing parent directories are
   * created.
   *
   * @param path the file
   * @param key the key
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void save(Path path, IdentityPrivateKey key) {
    try {
      Path tmp = writeTemp(path, key);
      Files.move(
          tmp,
          path,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + path, e);
    }
  }

  /**
   * Loads the key file, or creates it with a fresh key of the given type when it does not exist.
   * When two processes race to create the file, both end up with the key that was written first.
   *
   * @param path the file
   * @param type the key type for a new key
   * @return the loaded or created key
   * @throws IllegalArgumentException if an existing file is invalid or holds a key of another type
   * @throws UncheckedIOException if the file cannot be read or written
   */
  public static IdentityPrivateKey loadOrCreate(Path path, KeyType type) {
    IdentityPrivateKey key;
    if (Files.exists(path)) {
      key = load(path);
    } else {
      IdentityPrivateKey fresh = Keys.generate(type);
      try {
        Path tmp = writeTemp(path, fresh);
        try {
          Files.move(tmp, path);
          LOG.info("created {} identity key file {}", type, path);
          return fresh;
        } catch (FileAlreadyExistsException raced) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create key file " + path, e);
      }
      key = load(path);
    }
    if (key.type() != type) {
      throw new IllegalArgumentException(
          "key file " + path + " holds a " + key.type() + " key, expected " + type);
    }
    return key;
  }

  private static Path writeTemp(Path path, IdentityPrivateKey key) throws IOException {
    Path abs = path.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp;
    if (posix(dir)) {
      tmp =
          Files.createTempFile(
              dir, ".key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      tmp = Files.createTempFile(dir, ".key", ".tmp");
    }
    byte[] bytes = key.encoded();
    try {
      Files.write(tmp, bytes);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    return tmp;
  }

  private static boolean posix(Path dir) {
    return dir != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void warnIfShared(Path path) {
    if (!posix(path.toAbsolutePath().getParent())) {
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn(
            "key file {} is readable by group or others ({}); restrict it to the owner (600)",
            path,
            PosixFilePermissions.toString(perms));
      }
    } catch (NoSuchFileException e) {
      // Removed between read and check: nothing to warn about.
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot read permissions of {}", path, e);
    }
  }

  /**
   * The current POSIX permissions of a key file, for checks by callers.
   *
   * @param path the file
   * @return the permissions in {@code rwxrwxrwx} form, or empty if the file system has none
   * @throws UncheckedIOException if the file cannot be inspected
   */
  public static String permissions(Path path) {
    if (!posix(path.toAbsolutePath().getParent())) {
      return "";
    }
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read permissions of " + path, e);
    }
  }
}
