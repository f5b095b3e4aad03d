package org.lotusia.node.data;

/**
 * The data directory cannot be used: it is locked by another process, corrupt, unreadable or of an
 * unknown format. The message names the file and says what to do; the node never starts afresh in
 * its place.
 */
public final class DataDirException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the file
   * @param cause the underlying failure, or null
   */
  public DataDirException(String message, Throwable cause) {
    super(message, cause);
  }
}
