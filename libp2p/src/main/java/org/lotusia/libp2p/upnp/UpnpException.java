package org.lotusia.libp2p.upnp;

import java.io.IOException;

/** A gateway refused a SOAP action (a SOAP fault, or another HTTP error). */
public final class UpnpException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String action;
  private final int errorCode;

  /**
   * A refusal.
   *
   * @param action the SOAP action, e.g. {@code AddPortMapping}
   * @param errorCode the UPnP error code (e.g. 718 ConflictInMappingEntry), 0 when none was given
   * @param description the gateway's description, clipped
   */
  public UpnpException(String action, int errorCode, String description) {
    super(action + " refused" + (errorCode != 0 ? " (UPnP error " + errorCode + ")" : "") + ": "
        + description);
    this.action = action;
    this.errorCode = errorCode;
  }

  /** The SOAP action refused. */
  public String action() {
    return action;
  }

  /** The UPnP error code, 0 when the gateway gave none. */
  public int errorCode() {
    return errorCode;
  }
}
