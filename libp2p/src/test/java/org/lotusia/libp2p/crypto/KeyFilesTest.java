package org.lotusia.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyFilesTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void saveAndLoadRoundTrip(KeyType type) throws Exception {
    IdentityPrivateKey k = Keys.generate(type);
    Path file = dir.resolve("sub/dir/" + type + ".key");
    KeyFiles.save(file, k);
    assertThat(Files.readAllBytes(file)).isEqualTo(k.encoded());
    assertThat(KeyFiles.load(file)).isEqualTo(k);
    if (!KeyFiles.permissions(file).isEmpty()) {
      assertThat(KeyFiles.permissions(file)).isEqualTo("rw-------");
    }
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file); // no temp files left behind
    }
  }

  @Test
  void saveReplacesExistingFile() {
    Path file = dir.resolve("id.key");
    KeyFiles.save(file, Keys.generateEd25519());
    IdentityPrivateKey second = Keys.generateEd25519();
    KeyFiles.save(file, second);
    assertThat(KeyFiles.load(file)).isEqualTo(second);
  }

  @Test
  void loadsBase64Text() throws Exception {
    IdentityPrivateKey k = Keys.generate(KeyType.SECP256K1);
    Path file = dir.resolve("b64.key");
    Files.writeString(file, Base64.getEncoder().encodeToString(k.encoded()) + "\n");
    assertThat(KeyFiles.load(file)).isEqualTo(k);
  }

  @Test
  void loadOrCreateCreatesOnceThenLoads() throws Exception {
    Path file = dir.resolve("node/identity.key");
    IdentityPrivateKey created = KeyFiles.loadOrCreate(file, KeyType.ED25519);
    assertThat(created.type()).isEqualTo(KeyType.ED25519);
    assertThat(Files.exists(file)).isTrue();
    assertThat(KeyFiles.loadOrCreate(file, KeyType.ED25519)).isEqualTo(created);
    assertThatThrownBy(() -> KeyFiles.loadOrCreate(file, KeyType.RSA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds a ED25519 key, expected RSA");
  }

  @Test
  void badFilesNameTheProblem() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.key"));
    assertThatThrownBy(() -> KeyFiles.load(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is empty");
    Path text = dir.resolve("text.key");
    Files.writeString(text, "hello, world");
    assertThatThrownBy(() -> KeyFiles.load(text))
        .hasMessageContaining("neither a protobuf PrivateKey nor base64");
    Path truncated = dir.resolve("truncated.key");
    byte[] enc = Keys.generateEd25519().encoded();
    Files.write(truncated, java.util.Arrays.copyOf(enc, enc.length - 5));
    assertThatThrownBy(() -> KeyFiles.load(truncated))
        .hasMessageContaining("does not hold a valid private key");
    Path b64Garbage = dir.resolve("garbage.key");
    Files.writeString(
        b64Garbage,
        Base64.getEncoder().encodeToString("not a key".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> KeyFiles.load(b64Garbage))
        .hasMessageContaining("does not hold a valid private key");
    Path huge = dir.resolve("huge.key");
    Files.write(huge, new byte[KeyFiles.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> KeyFiles.load(huge)).hasMessageContaining("more than the");
    assertThatThrownBy(() -> KeyFiles.load(dir.resolve("missing.key")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing.key");
    assertThatThrownBy(() -> KeyFiles.loadOrCreate(empty, KeyType.ED25519))
        .hasMessageContaining("is empty");
  }
}
