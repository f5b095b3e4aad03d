package org.lotusia.chainsim.script;

/**
 * Script verification flags, as bits (lotusd {@code script_flags.h}). lotusd always enforces strict
 * signature and public key encoding, low S, NULLFAIL and minimal pushes; the flags below are the
 * ones that change between consensus and relay policy or between upgrades.
 */
public final class ScriptFlags {

  /** Signatures must use FORKID or LOTUS hash types (always on in Lotus consensus). */
  public static final int ENABLE_SIGHASH_FORKID = 1;

  /** Exactly one stack element after execution (always on in Lotus consensus). */
  public static final int CLEANSTACK = 1 << 1;

  /** Policy: the NOPs reserved for upgrades fail. */
  public static final int DISCOURAGE_UPGRADABLE_NOPS = 1 << 2;

  /** Policy: an input script must be large enough for its signature checks. */
  public static final int INPUT_SIGCHECKS = 1 << 3;

  /** Taproot and SIGHASH_LOTUS refused (before the 2nd Samuel upgrade). */
  public static final int DISABLE_TAPROOT_SIGHASH_LOTUS = 1 << 4;

  /** Rewrite the sighash fork value (from the 2nd Kings upgrade). */
  public static final int ENABLE_REPLAY_PROTECTION = 1 << 5;

  /** Internal: a Taproot key-path signature is being checked. */
  static final int TAPROOT_KEY_SPEND_PATH = 1 << 6;

  /** The flags consensus always applies on Lotus. */
  public static final int MANDATORY = ENABLE_SIGHASH_FORKID | CLEANSTACK;

  /** Flags relay policy adds to the mandatory ones. */
  public static final int STANDARD_NOT_MANDATORY = DISCOURAGE_UPGRADABLE_NOPS | INPUT_SIGCHECKS;

  private ScriptFlags() {}
}
