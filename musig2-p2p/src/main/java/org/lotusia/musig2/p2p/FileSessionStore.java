package org.lotusia.musig2.p2p;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} of one JSON file per session in a directory, {@code <sessionId>.json}.
 * Each save writes a temporary file, forces it to disk and renames it over the old one, so a crash
 * leaves either the old or the new record. Only well-formed session IDs (32 lower-case hex
 * characters) become file names; files above {@value #MAX_FILE_BYTES} bytes or that do not parse
 * are skipped by {@link #loadAll()} with a warning. Thread-safe (the file system serialises the
 * renames; saves of one session come from one manager thread).
 */
public final class FileSessionStore implements SessionStore {

  /** Largest record file read. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(FileSessionStore.class);
  private static final String SUFFIX = ".json";

  private final Path dir;

  /**
   * @param dir the directory, created if missing
   * @throws UncheckedIOException if it cannot be created
   */
  public FileSessionStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create session store directory " + dir, e);
    }
  }

  private Path file(String sessionId) {
    if (!SessionIds.isWellFormed(sessionId)) {
      throw new IllegalArgumentException(
          "session ID must be 32 lower-case hex characters to be stored, got " + sessionId);
    }
    return dir.resolve(sessionId + SUFFIX);
  }

  @Override
  public void save(SessionRecord record) {
    Path target = file(record.sessionId());
    Path tmp = dir.resolve(record.sessionId() + ".tmp");
    byte[] bytes = JsJsonWriter.write(record.toJson()).getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write session record " + tmp, e);
    }
    try {
      Files.move(
          tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename session record to " + target, e);
    }
  }

  @Override
  public Optional<SessionRecord> load(String sessionId) {
    if (!SessionIds.isWellFormed(sessionId)) {
      return Optional.empty();
    }
    return read(file(sessionId));
  }

  private Optional<SessionRecord> read(Path p) {
    try {
      if (Files.size(p) > MAX_FILE_BYTES) {
        LOG.warn("skipping session record {}: larger than {} bytes", p, MAX_FILE_BYTES);
        return Optional.empty();
      }
      byte[] data = Files.readAllBytes(p);
      return Optional.of(
          SessionRecord.fromJson(WireJson.parseObject(data, MAX_FILE_BYTES, "record")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read session record " + p, e);
    } catch (MalformedMessageException | IllegalArgumentException e) {
      LOG.warn("skipping unreadable session record {}: {}", p, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public List<SessionRecord> loadAll() {
    List<SessionRecord> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.length() - SUFFIX.length());
        if (SessionIds.isWellFormed(id)) {
          read(p).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list session records in " + dir, e);
    }
    return out;
  }

  @Override
  public void delete(String sessionId) {
    if (!SessionIds.isWellFormed(sessionId)) {
      return;
    }
    try {
      Files.deleteIfExists(file(sessionId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete session record of " + sessionId, e);
    }
  }
}
