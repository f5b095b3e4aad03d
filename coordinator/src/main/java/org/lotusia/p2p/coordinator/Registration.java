package org.lotusia.p2p.coordinator;

/**
 * A handle on something registered with the coordinator (a listener, a topic handler, a request
 * handler); {@link #close()} removes it. Closing twice is harmless.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

  /** Removes the registration. */
  @Override
  void close();
}
