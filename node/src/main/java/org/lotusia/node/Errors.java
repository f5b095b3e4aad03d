package org.lotusia.node;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.StreamResetException;

/**
 * Turns a failure into the words of one {@code error: ...} line: what happened, for a person
 * ("connection refused by 127.0.0.1:4001"), never an exception class name; and its exit code: 2 for
 * bad usage ({@link IllegalArgumentException}), 1 for everything else (network, protocol, the
 * data directory).
 */
final class Errors {

  private static final Pattern ADDRESS = Pattern.compile("/?([0-9a-fA-F.:\\[\\]]+:\\d+)\\s*$");
  private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z0-9_]+\\.)*[A-Z][A-Za-z0-9]*(?:Exception|Error): ");

  private Errors() {}

  /** The innermost cause, skipping wrappers that only wrap. */
  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException
            || cur instanceof ExecutionException
            || cur instanceof picocli.CommandLine.ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }

  /**
   * The exit code for a failure.
   *
   * @param t the failure
   * @return 2 for bad usage, 1 otherwise
   */
  static int exitCode(Throwable t) {
    Throwable u = unwrap(t);
    return u instanceof IllegalArgumentException || u instanceof picocli.CommandLine.ParameterException ? 2 : 1;
  }

  /**
   * One line saying what happened.
   *
   * @param t the failure
   * @return the text, without line breaks
   */
  static String describe(Throwable t) {
    Throwable top = unwrap(t);
    if (top instanceof NodeSession.NodeStartException) {
      return top.getMessage().replace('\n', ' ').strip();
    }
    String text = network(top);
    if (text == null) {
      text = plain(top);
      if (top instanceof UncheckedIOException && top.getCause() != null) {
        String cause = plain(top.getCause());
        if (!text.contains(cause)) {
          text = text + ": " + cause;
        }
      }
    }
    return text.replace('\n', ' ').replace('\r', ' ').strip();
  }

  /** Words for the network failures found anywhere in the cause chain, or null. */
  private static String network(Throwable top) {
    for (Throwable c = top; c != null; c = c.getCause()) {
      String msg = String.valueOf(c.getMessage());
      if (c instanceof BindException || msg.contains("Address already in use")) {
        return prefix(top, "address already in use");
      }
      if (c instanceof ConnectException && msg.contains("refused")) {
        return "connection refused by " + address(msg);
      }
      if (c instanceof NoRouteToHostException) {
        return "no route to " + address(msg);
      }
      if (c instanceof UnknownHostException) {
        return "unknown host " + msg;
      }
      if (c instanceof ConnectException) {
        return "cannot connect to " + address(msg) + ": " + strip(msg);
      }
      if (c instanceof TimeoutException) {
        return msg.equals("null") ? "timed out" : "timed out: " + strip(msg);
      }
      if (c instanceof ProtocolNotSupportedException) {
        return "the peer does not support the protocol: " + strip(msg);
      }
      if (c instanceof StreamResetException) {
        return "the peer reset the stream" + (msg.equals("null") ? "" : ": " + strip(msg));
      }
      if (c instanceof ConnectionClosedException) {
        return "the connection closed" + (msg.equals("null") ? "" : ": " + strip(msg));
      }
    }
    return null;
  }

  private static String prefix(Throwable top, String what) {
    String m = top.getMessage();
    return m == null || m.contains(what) || m.contains("Address already in use") ? what : strip(m) + ": " + what;
  }

  private static String address(String msg) {
    Matcher m = ADDRESS.matcher(msg);
    return m.find() ? m.group(1) : strip(msg);
  }

  private static String plain(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return words(t.getClass().getSimpleName());
    }
    return strip(m);
  }

  private static String strip(String msg) {
    String s = msg;
    Matcher m = CLASS_PREFIX.matcher(s);
    while (m.find()) {
      s = s.substring(m.end());
      m = CLASS_PREFIX.matcher(s);
    }
    return s;
  }

  /** {@code NoSuchFileException} becomes "no such file". */
  private static String words(String className) {
    String base = className.replaceAll("(Exception|Error)$", "");
    return base.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }
}
