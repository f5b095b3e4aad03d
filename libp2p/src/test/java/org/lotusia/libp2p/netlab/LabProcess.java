package org.lotusia.libp2p.netlab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started inside a lab namespace ({@code ip netns exec <ns> java ...}) and driven
 * over its standard input and output: one command per line in, answer lines starting with {@value
 * #PREFIX} out (anything else, such as logs, is skipped). The process dies with its standard
 * input, so it never outlives the test; {@link #close()} also kills it.
 */
public final class LabProcess implements AutoCloseable {

  /** Lines of the control protocol start with this. */
  public static final String PREFIX = "@@ ";

  private final Process process;
  private final Writer in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final File log;

  private LabProcess(Process process, File log) {
    this.process = process;
    this.log = log;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.startsWith(PREFIX)) {
                    lines.add(line.substring(PREFIX.length()));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "lab-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} with {@code args} in {@code ns}, on this JVM's class path. */
  public static LabProcess start(NetLab.Namespace ns, Class<?> mainClass, List<String> args)
      throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(),
        System.getProperty("java.home") + "/bin/java", "-Xmx192m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Xss512k", "-cp", cp, mainClass.getName()));
    cmd.addAll(args);
    File log = File.createTempFile("netlab-" + ns.name() + "-", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log).start();
    return new LabProcess(p, log);
  }

  /** Sends a command line. */
  public void send(String command) throws IOException {
    in.write(command + "\n");
    in.flush();
  }

  /**
   * Waits for the next answer line starting with {@code word}, skipping others.
   *
   * @throws IllegalStateException after {@code timeout}, with the process's error log
   */
  public String expect(String word, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new IllegalStateException(
            "no '" + word + "' from the lab process within " + timeout + "; see " + log);
      }
      if (line.startsWith(word)) {
        return line;
      }
    }
  }

  /** Sends {@code command} and waits for the answer starting with its first word. */
  public String call(String command, Duration timeout) throws IOException, InterruptedException {
    send(command);
    return expect(command.split(" ")[0], timeout);
  }

  /** The file the process's standard error goes to. */
  public File log() {
    return log;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // gone already
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
