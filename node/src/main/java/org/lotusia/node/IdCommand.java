package org.lotusia.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.node.data.DataDir;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p id}: prints the peer ID of a key file, creating the file when it is absent. */
@Command(
    name = "id",
    mixinStandardHelpOptions = true,
    description = {
      "Print the peer ID of an identity key file, or create the file (Ed25519, mode 600) when absent.",
      "With --data-dir, the identity of that node's data directory."
    })
final class IdCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  static final class Source {
    @Parameters(index = "0", paramLabel = "FILE", description = "The key file.")
    Path file;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "A node's data directory.")
    Path dataDir;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--json", description = "Print {\"peerId\",\"keyType\",\"file\",\"created\"}.")
  boolean json;

  @Override
  public Integer call() {
    Path file = source.file != null ? source.file : source.dataDir.resolve(DataDir.IDENTITY);
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + " is a directory, not a key file");
    }
    boolean created = !Files.exists(file);
    IdentityPrivateKey key = KeyFiles.loadOrCreate(file, KeyType.ED25519);
    String peerId = PeerId.fromPublicKey(key.publicKey()).toBase58();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("peerId", peerId)
          .put("keyType", key.type().name())
          .put("file", file.toAbsolutePath().toString())
          .put("created", created);
      out.println(o);
    } else {
      out.println(peerId);
      if (created) {
        spec.commandLine().getErr().println("created " + key.type() + " key file " + file);
      }
    }
    out.flush();
    return 0;
  }
}
