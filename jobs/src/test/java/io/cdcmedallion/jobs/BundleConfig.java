package io.cdcmedallion.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bundle as the Databricks CLI sees it for one target, offline: the included files merged, the
 * target's overrides merged in, and {@code ${...}} references resolved the way the CLI resolves
 * them (databricks/cli at {@link #CLI_COMMIT}). Only what this project's bundle uses is modelled.
 */
final class BundleConfig {
  /** The commit of github.com/databricks/cli whose source the rules below were read from. */
  static final String CLI_COMMIT = "7bbe2852131bc5c4a6c7bad5f147bc7772eedf9f";

  /** A stand-in for the deploying user (the CLI fills in the real one). */
  static final String USER = "someone@example.com";

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)}");
  private static final Pattern JOB_PARAMETER =
      Pattern.compile("\\{\\{\\s*job\\.parameters\\.([A-Za-z0-9_.\\-]+)\\s*}}");

  /**
   * Sequences the CLI merges by a key when a target overrides a job
   * (bundle/config/mutator/resourcemutator/merge_job_tasks.go, merge_job_clusters.go,
   * merge_job_parameters.go); every other sequence is appended to.
   */
  private static final Map<String, String> MERGE_KEYS =
      Map.of("tasks", "task_key", "job_clusters", "job_cluster_key", "parameters", "name");

  final String target;
  final JsonNode root;

  private BundleConfig(String target, JsonNode root) {
    this.target = target;
    this.root = root;
  }

  /** {@code files} (databricks.yml and its includes) merged, then target {@code target} on top. */
  static BundleConfig forTarget(List<JsonNode> files, String target) {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    for (JsonNode file : files) {
      merge(merged, file);
    }
    JsonNode overrides = merged.path("targets").path(target);
    if (overrides.isMissingNode()) {
      throw new IllegalArgumentException("no target " + target);
    }
    ObjectNode result = merged.deepCopy();
    result.remove("targets");
    result.remove("include");
    ObjectNode targetOverrides = overrides.deepCopy();
    // A target sets a variable's value directly (`variables: {catalog: x}`).
    JsonNode variables = targetOverrides.remove("variables");
    if (variables != null) {
      variables
          .fields()
          .forEachRemaining(
              e ->
                  ((ObjectNode) result.with("variables").with(e.getKey()))
                      .set("default", e.getValue()));
    }
    targetOverrides.remove("default");
    merge(result, targetOverrides);
    return new BundleConfig(target, result);
  }

  private static void merge(ObjectNode into, JsonNode from) {
    from.fields()
        .forEachRemaining(
            e -> {
              JsonNode existing = into.get(e.getKey());
              JsonNode value = e.getValue();
              if (existing instanceof ObjectNode object && value.isObject()) {
                merge(object, value);
              } else if (existing instanceof ArrayNode array && value.isArray()) {
                String key = MERGE_KEYS.get(e.getKey());
                for (JsonNode item : value) {
                  JsonNode same = key == null ? null : find(array, key, item.path(key).asText());
                  if (same instanceof ObjectNode object) {
                    merge(object, item);
                  } else {
                    array.add(item.deepCopy());
                  }
                }
              } else {
                into.set(e.getKey(), value.deepCopy());
              }
            });
  }

  private static JsonNode find(ArrayNode array, String key, String value) {
    for (JsonNode item : array) {
      if (item.path(key).asText().equals(value)) {
        return item;
      }
    }
    return null;
  }

  /** The job {@code name} of this target. */
  JsonNode job(String name) {
    return root.path("resources").path("jobs").path(name);
  }

  /**
   * {@code workspace.root_path}; the CLI's default is {@code ~/.bundle/<name>/<target>}
   * (bundle/config/mutator/default_workspace_root.go), i.e. under the user's own folder.
   */
  String rootPath() {
    JsonNode configured = root.at("/workspace/root_path");
    return configured.isMissingNode()
        ? "/Workspace/Users/" + USER + "/.bundle/" + bundleName() + "/" + target
        : resolve(configured.asText());
  }

  /**
   * {@code workspace.artifact_path}; the CLI's default is {@code <root_path>/artifacts}
   * (bundle/config/mutator/default_workspace_paths.go).
   */
  String artifactPath() {
    JsonNode configured = root.at("/workspace/artifact_path");
    return configured.isMissingNode() ? rootPath() + "/artifacts" : resolve(configured.asText());
  }

  String bundleName() {
    return root.at("/bundle/name").asText();
  }

  /** {@code text} with every {@code ${...}} reference resolved, recursively. */
  String resolve(String text) {
    String current = text;
    for (int depth = 0; depth < 10; depth++) {
      Matcher matcher = REFERENCE.matcher(current);
      if (!matcher.find()) {
        return current;
      }
      matcher.reset();
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        matcher.appendReplacement(out, Matcher.quoteReplacement(lookup(matcher.group(1))));
      }
      matcher.appendTail(out);
      current = out.toString();
    }
    throw new IllegalStateException("references nest too deep in " + text);
  }

  private String lookup(String reference) {
    return switch (reference) {
      case "bundle.name" -> bundleName();
      case "bundle.target" -> target;
      case "workspace.current_user.userName" -> USER;
      case "workspace.current_user.short_name" -> USER.substring(0, USER.indexOf('@'));
      case "workspace.root_path" -> rootPath();
      case "workspace.artifact_path" -> artifactPath();
      default -> {
        if (reference.startsWith("var.")) {
          JsonNode variable = root.path("variables").path(reference.substring(4));
          if (!variable.has("default")) {
            throw new IllegalStateException("variable without a value: ${" + reference + "}");
          }
          yield variable.get("default").asText();
        }
        if (reference.startsWith("resources.")) {
          JsonNode value = root.at("/" + reference.replace('.', '/'));
          if (!value.isValueNode()) {
            throw new IllegalStateException("no such resource field: ${" + reference + "}");
          }
          yield value.asText();
        }
        throw new IllegalStateException("reference this test does not model: ${" + reference + "}");
      }
    };
  }

  /**
   * A JAR task's parameters as a run gets them: {@code {{job.parameters.<name>}}} replaced by the
   * parameter's value ({@code overrides}, else its default), then references resolved.
   */
  List<String> taskArguments(JsonNode job, JsonNode task, Map<String, String> overrides) {
    List<String> args = new ArrayList<>();
    for (JsonNode parameter : task.path("spark_jar_task").path("parameters")) {
      Matcher matcher = JOB_PARAMETER.matcher(parameter.asText());
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String name = matcher.group(1);
        String value = overrides.get(name);
        if (value == null) {
          JsonNode definition = find((ArrayNode) job.path("parameters"), "name", name);
          if (definition == null) {
            throw new IllegalStateException("task uses undefined job parameter " + name);
          }
          value = definition.path("default").asText();
        }
        matcher.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      matcher.appendTail(out);
      args.add(resolve(out.toString()));
    }
    return args;
  }

  /** Job parameter names used by {@code {{job.parameters.<name>}}} in {@code text}. */
  static Set<String> jobParametersIn(String text) {
    Set<String> names = new java.util.LinkedHashSet<>();
    Matcher matcher = JOB_PARAMETER.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /**
   * Calls {@code visit} with the path (e.g. {@code resources.jobs.x.tasks[0].libraries[0].jar}) and
   * value of every string in {@code node}.
   */
  static void forEachString(JsonNode node, BiConsumer<String, String> visit) {
    forEachString(node, "", visit);
  }

  private static void forEachString(JsonNode node, String path, BiConsumer<String, String> visit) {
    if (node.isTextual()) {
      visit.accept(path, node.asText());
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        forEachString(node.get(i), path + "[" + i + "]", visit);
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        forEachString(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), visit);
      }
    }
  }
}
