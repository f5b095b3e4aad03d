package org.lotusia.node.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A node's data directory: {@value #IDENTITY} (the libp2p identity key, mode 600) and {@value
 * #DATABASE} (the {@link NodeStore}: DHT records, provider records and known peers). Created with
 * mode 700 when missing. The database is locked while the node runs.
 */
public final class DataDir implements AutoCloseable {

  /** The identity key file's name. */
  public static final String IDENTITY = "identity.key";

  /** The database file's name. */
  public static final String DATABASE = "node.db";

  private final Path dir;
  private final NodeStore store;

  private DataDir(Path dir, NodeStore store) {
    this.dir = dir;
    this.store = store;
  }

  /**
   * The default data directory: {@code ~/.lotus-p2p/node}.
   *
   * @return the path
   */
  public static Path defaultPath() {
    return Path.of(System.getProperty("user.home"), ".lotus-p2p", "node");
  }

  /**
   * Opens the directory, creating it when missing, and its database.
   *
   * @param dir the directory
   * @return the opened directory
   * @throws IllegalArgumentException when {@code dir} exists and is not a directory
   * @throws DataDirException naming the file when the directory cannot be created or written, or
   *     the database is locked, corrupt or of another format
   */
  public static DataDir open(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new IllegalArgumentException("--data-dir " + abs + " is a file, not a directory");
    }
    try {
      if (!Files.isDirectory(abs)) {
        Files.createDirectories(abs);
        try {
          Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
          // the directory keeps the file system's default permissions
        }
      }
    } catch (IOException e) {
      throw new DataDirException("cannot create the data directory " + abs + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(abs)) {
      throw new DataDirException("the data directory " + abs + " is not writable", null);
    }
    Path db = abs.resolve(DATABASE);
    if (Files.exists(db) && !Files.isRegularFile(db)) {
      throw new DataDirException(db + " is not a regular file", null);
    }
    return new DataDir(abs, NodeStore.open(db));
  }

  /**
   * The directory.
   *
   * @return its absolute path
   */
  public Path path() {
    return dir;
  }

  /**
   * The identity key file in this directory (which may not exist yet).
   *
   * @return the path
   */
  public Path identityFile() {
    return dir.resolve(IDENTITY);
  }

  /**
   * The database.
   *
   * @return the store
   */
  public NodeStore store() {
    return store;
  }

  /** Flushes and closes the database, releasing its lock. */
  @Override
  public void close() {
    store.close();
  }
}
