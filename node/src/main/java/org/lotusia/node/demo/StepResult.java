package org.lotusia.node.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a {@link DemoStep}: a one-line summary and the checked values (shown in the JSON
 * output), or the reason the step is unavailable in this build.
 *
 * @param available whether the step ran
 * @param summary what was checked, in words (or why the step is unavailable)
 * @param details the values checked, by name (strings, numbers, lists)
 */
public record StepResult(boolean available, String summary, Map<String, Object> details) {

  /** Checks for nulls and copies the details, keeping their order. */
  public StepResult {
    Objects.requireNonNull(summary, "summary");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * A step that ran and passed its checks.
   *
   * @param summary what was checked
   * @param details the values
   * @return the result
   */
  public static StepResult passed(String summary, Map<String, Object> details) {
    return new StepResult(true, summary, details);
  }

  /**
   * A step that cannot run in this build; it is reported, and not counted as passed.
   *
   * @param reason why
   * @return the result
   */
  public static StepResult unavailable(String reason) {
    return new StepResult(false, reason, Map.of());
  }
}
