package org.lotusia.libp2p.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a committed seed of a Jazzer fuzz test, for unit tests that pin what a seed reaches. */
public final class FuzzSeeds {

  private FuzzSeeds() {}

  /**
   * The bytes of a seed: the resource {@code <Class>Inputs/<method>/<name>} next to the class, where
   * Jazzer looks for the seed corpus.
   *
   * @param fuzzTest the fuzz test class
   * @param method the fuzz test method
   * @param name the seed's file name
   * @return the seed's bytes
   * @throws IllegalArgumentException when there is no such seed
   */
  public static byte[] read(Class<?> fuzzTest, String method, String name) {
    String path = fuzzTest.getSimpleName() + "Inputs/" + method + "/" + name;
    try (InputStream in = fuzzTest.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no seed " + path + " next to " + fuzzTest.getName());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
