package org.lotusia.node.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a {@link DemoStep}: a one-line summary and the checked values (shown in the JSON
 * output), or the reason the step is unavailable in this build.
 *
 * @param available whether the step ran
 * @param summary what was checked, in words (or why the step is unavailable)
 * @param details the values checked, by name (strings, numbers, lists)
 * @param shown the names of the details that the readable output prints too, one a line, in this
 *     order (the JSON output has every detail)
 */
public record StepResult(
    boolean available, String summary, Map<String, Object> details, List<String> shown) {

  /**
   * Checks for nulls, copies the details keeping their order, and checks that every shown name is
   * a detail.
   *
   * @throws IllegalArgumentException when a shown name is not among the details
   */
  public StepResult {
    Objects.requireNonNull(summary, "summary");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    shown = List.copyOf(shown);
    for (String name : shown) {
      if (!details.containsKey(name)) {
        throw new IllegalArgumentException(
            "shown detail " + name + " is not among the details " + details.keySet());
      }
    }
  }

  /**
   * A step that ran and passed its checks.
   *
   * @param summary what was checked
   * @param details the values
   * @return the result
   */
  public static StepResult passed(String summary, Map<String, Object> details) {
    return new StepResult(true, summary, details, List.of());
  }

  /**
   * A step that ran and passed its checks, some of whose values the readable output prints.
   *
   * @param summary what was checked
   * @param details the values
   * @param shown the names of the details printed one a line in readable mode
   * @return the result
   * @throws IllegalArgumentException when a shown name is not among the details
   */
  public static StepResult passed(String summary, Map<String, Object> details, List<String> shown) {
    return new StepResult(true, summary, details, shown);
  }

  /**
   * A step that cannot run in this build; it is reported, and not counted as passed.
   *
   * @param reason why
   * @return the result
   */
  public static StepResult unavailable(String reason) {
    return new StepResult(false, reason, Map.of(), List.of());
  }
}
