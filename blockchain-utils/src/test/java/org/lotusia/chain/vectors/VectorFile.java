package org.lotusia.chain.vectors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the lotus chain known-answer file from the test resources and finds values in it. */
final class VectorFile {

  private static final List<String> LINES = load();

  private VectorFile() {}

  private static List<String> load() {
    try (InputStream in =
        VectorFile.class.getResourceAsStream("/vectors/lotus-chain-vectors.txt")) {
      if (in == null) {
        throw new IllegalStateException("vector file missing");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String l : text.split("\n")) {
        out.add(l.trim());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> lines() {
    return LINES;
  }

  /** Lines starting with the prefix. */
  static List<String> linesStartingWith(String prefix) {
    List<String> out = new ArrayList<>();
    for (String l : LINES) {
      if (l.startsWith(prefix)) {
        out.add(l);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no vector line starts with " + prefix);
    }
    return out;
  }

  /** The line after the given one. */
  static String nextLine(String line) {
    return LINES.get(LINES.indexOf(line) + 1);
  }

  /** The value of {@code key=VALUE} (VALUE up to whitespace) on the given line. */
  static String field(String line, String key) {
    Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\\S+)").matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("no field " + key + " in: " + line);
    }
    return m.group(1);
  }
}
