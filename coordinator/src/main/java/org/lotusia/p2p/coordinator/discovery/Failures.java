package org.lotusia.p2p.coordinator.discovery;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Unwrapping of future failures for messages and events. Stateless. */
final class Failures {

  private Failures() {}

  /** The cause of a completion wrapper, or the throwable itself ({@code null} stays null). */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
