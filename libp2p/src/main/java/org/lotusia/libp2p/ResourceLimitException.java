package org.lotusia.libp2p;

/**
 * A connection or stream was refused because a limit of the host's resource manager was reached
 * (see {@link ResourceLimits}). The message names the limit and its value; raising the limit with
 * {@link HostBuilder#resourceLimits(ResourceLimits)} or closing streams or connections makes room.
 */
public class ResourceLimitException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which limit was reached, and its value
   */
  public ResourceLimitException(String message) {
    super(message);
  }
}
