package org.lotusia.chain.address;

/** Lotus networks and their XAddress network characters. */
public enum Network {
  /** Main network, character {@code '_'}. */
  MAINNET('_'),
  /** Test network, character {@code 'T'}. */
  TESTNET('T'),
  /** Regression-test network, character {@code 'R'}. */
  REGTEST('R');

  private final char addressChar;

  Network(char addressChar) {
    this.addressChar = addressChar;
  }

  /** The XAddress network character. */
  public char addressChar() {
    return addressChar;
  }

  /**
   * The network with this XAddress character.
   *
   * @throws IllegalArgumentException for any other character
   */
  public static Network fromAddressChar(char c) {
    for (Network n : values()) {
      if (n.addressChar == c) {
        return n;
      }
    }
    throw new IllegalArgumentException(
        "bad network character '"
            + c
            + "' (expected '_' mainnet, 'T' testnet"
            + " or 'R' regtest)");
  }
}
