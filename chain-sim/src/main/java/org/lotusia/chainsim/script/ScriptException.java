package org.lotusia.chainsim.script;

/**
 * A script failed: carries the {@link ScriptError} and, when useful, which opcode or element was at
 * fault. Thrown only inside the interpreter and turned into a verification result at its boundary.
 */
public final class ScriptException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient ScriptError error;

  /**
   * Creates the exception.
   *
   * @param error the error
   * @param detail what was at fault (may be empty)
   */
  public ScriptException(ScriptError error, String detail) {
    super(detail == null || detail.isEmpty() ? error.message() : error.message() + ": " + detail);
    this.error = error;
  }

  /** Creates the exception without detail. */
  public ScriptException(ScriptError error) {
    this(error, "");
  }

  /** The error. */
  public ScriptError error() {
    return error;
  }
}
