package org.lotusia.chain.chronik;

/** The network a Chronik server indexes; Lotus servers report {@link #XPI}. */
public enum ChronikNetwork {
  /** Bitcoin Cash. */
  BCH,
  /** eCash. */
  XEC,
  /** Lotus. */
  XPI,
  /** Ergon. */
  XRG,
  /** A value this client does not know. */
  UNKNOWN
}
