package org.lotusia.node.demo;

/**
 * One step of {@code lotus-p2p demo}: does something on the demo network and checks the result.
 * A step that cannot run in this build returns {@link StepResult#unavailable}; one whose check
 * fails throws, with the reason as the message.
 */
public interface DemoStep {

  /**
   * The step's short name ({@code bootstrap}, {@code resource}, ...), used in the output.
   *
   * @return the name
   */
  String name();

  /**
   * What the step does, in a few words for the readable output.
   *
   * @return the description
   */
  String description();

  /**
   * Runs the step.
   *
   * @param network the running nodes
   * @param progress where to report what the step is waiting for
   * @return the checked results
   * @throws Exception when a check fails or the network fails (the message says which)
   */
  StepResult run(DemoNetwork network, Progress progress) throws Exception;

  /** Receives what a step is waiting for, for the progress line. Thread-safe. */
  interface Progress {
    /**
     * Sets the current progress text, such as "4 of 5 nodes received the message".
     *
     * @param text the text
     */
    void update(String text);
  }
}
