package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Offline checks of the Databricks bundle (databricks.yml and the files it includes, plus the
 * optional resources/optional/*.yml): each validates against the Databricks CLI's bundle JSON
 * schema, every JAR task's main class is in the thin jar, and every task's parameters parse.
 */
class BundleTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String THIN_JAR = "./jobs/target/cdc-medallion-jobs-databricks.jar";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{var\\.([A-Za-z0-9_]+)}");

  private static Path root;
  private static Map<Path, JsonNode> files;

  @BeforeAll
  static void readBundle() {
    root = ProjectFiles.root();
    files = new LinkedHashMap<>();
    JsonNode bundle = read(root.resolve("databricks.yml"));
    files.put(root.resolve("databricks.yml"), bundle);
    List<String> globs = new ArrayList<>();
    bundle.path("include").forEach(glob -> globs.add(glob.asText()));
    // The optional Lakebase resources are commented out of `include`; check them too.
    globs.add("resources/optional/*.yml");
    for (String glob : globs) {
      List<Path> matched = matching(glob);
      assertThat(matched).as("files matching include %s", glob).isNotEmpty();
      matched.forEach(path -> files.put(path, read(path)));
    }
  }

  @Test
  void everyBundleFileValidatesAgainstTheBundleSchema() {
    JsonSchema schema = bundleSchema();
    assertThat(files.keySet())
        .extracting(path -> root.relativize(path).toString())
        .contains(
            "databricks.yml",
            "resources/medallion_job.yml",
            "resources/schemas.yml",
            "resources/optional/lakebase.yml");
    files.forEach(
        (path, node) ->
            assertThat(schema.validate(node)).as("schema errors in %s", path).isEmpty());
  }

  @Test
  void theSchemaCheckCatchesAMisspelledField() {
    JsonSchema schema = bundleSchema();
    ObjectNode job = (ObjectNode) read(root.resolve("resources/medallion_job.yml")).deepCopy();
    ObjectNode task =
        (ObjectNode) job.path("resources").path("jobs").path("medallion").path("tasks").get(0);
    task.set("spark_jar_tsk", task.remove("spark_jar_task"));

    Set<ValidationMessage> errors = schema.validate(job);

    assertThat(errors)
        .extracting(ValidationMessage::getMessage)
        .anySatisfy(message -> assertThat(message).contains("spark_jar_tsk"));
  }

  @Test
  void theJobRunsSilverThenGoldHourlyAndMailsOnFailure() {
    JsonNode job = jobDefinition();
    assertThat(job.at("/trigger/periodic/interval").asInt()).isEqualTo(1);
    assertThat(job.at("/trigger/periodic/unit").asText()).isEqualTo("HOURS");
    assertThat(job.at("/email_notifications/on_failure/0").asText())
        .isEqualTo("${var.notification_email}");
    assertThat(taskKeys(job)).containsExactly("silver", "gold");
    assertThat(job.at("/tasks/1/depends_on/0/task_key").asText()).isEqualTo("silver");
  }

  @Test
  void devRunsServerlessAndProdOnAClassicJobClusterWithTheThinJar() {
    JsonNode targets = files.get(root.resolve("databricks.yml")).path("targets");
    JsonNode dev = targets.at("/dev/resources/jobs/medallion");
    assertThat(dev.at("/environments/0/spec/environment_version").asText()).isEqualTo("4");
    assertThat(dev.at("/environments/0/spec/java_dependencies/0").asText()).isEqualTo(THIN_JAR);
    assertThat(dev.path("tasks").findValuesAsText("environment_key"))
        .containsExactly("medallion", "medallion");

    JsonNode prod = targets.at("/prod/resources/jobs/medallion");
    assertThat(prod.at("/job_clusters/0/new_cluster/spark_version").asText())
        .isEqualTo("17.3.x-scala2.13");
    assertThat(prod.path("tasks").findValuesAsText("job_cluster_key"))
        .containsExactly("medallion", "medallion");
    assertThat(prod.path("tasks").findValuesAsText("jar")).containsExactly(THIN_JAR, THIN_JAR);

    JsonNode artifact = files.get(root.resolve("databricks.yml")).at("/artifacts/medallion_jar");
    assertThat(artifact.at("/files/0/source").asText()).isEqualTo(THIN_JAR);
    // The default build makes the thin jar (no profile needed).
    assertThat(artifact.at("/build").asText()).isEqualTo("mvn -B -q -DskipTests package");
    assertThat(root.resolve(THIN_JAR).normalize()).isEqualTo(ProjectFiles.thinJar());
  }

  @Test
  void everyMainClassIsInTheThinJarAndHasAMainMethod() throws Exception {
    List<String> mainClasses = new ArrayList<>();
    files.values().forEach(node -> mainClasses.addAll(node.findValuesAsText("main_class_name")));
    assertThat(mainClasses).isNotEmpty();
    try (JarFile jar = new JarFile(ProjectFiles.thinJar().toFile())) {
      for (String mainClass : mainClasses) {
        assertThat(jar.getEntry(mainClass.replace('.', '/') + ".class"))
            .as("%s in %s", mainClass, jar.getName())
            .isNotNull();
        assertThat(Class.forName(mainClass).getMethod("main", String[].class).getModifiers())
            .as("public static main of %s", mainClass)
            .isEqualTo(java.lang.reflect.Modifier.PUBLIC | java.lang.reflect.Modifier.STATIC);
      }
    }
  }

  @Test
  void everyTasksParametersParseWithTheVariablesDefaults() {
    Map<String, String> defaults = variableDefaults();
    JsonNode tasks = jobDefinition().path("tasks");
    for (JsonNode task : tasks) {
      JsonNode jarTask = task.path("spark_jar_task");
      assertThat(jarTask.path("main_class_name").asText())
          .isEqualTo(DatabricksMain.class.getName());
      List<String> args = new ArrayList<>();
      jarTask.path("parameters").forEach(p -> args.add(substitute(p.asText(), defaults)));

      ParseResult parsed =
          new CommandLine(new MedallionCli()).parseArgs(args.toArray(String[]::new));

      ParseResult command = parsed.subcommand();
      assertThat(command.commandSpec().name()).isEqualTo(task.path("task_key").asText());
      assertThat(command.matchedOptionValue("--catalog", "")).isEqualTo("main");
      assertThat(command.matchedOptionValue("--bronze-schema", "")).isEqualTo("bronze");
      assertThat(command.matchedOptionValue("--silver-schema", "")).isEqualTo("silver");
      assertThat(command.matchedOptionValue("--gold-schema", "")).isEqualTo("gold");
    }
  }

  @Test
  void aTaskParameterTheCliDoesNotKnowIsCaught() {
    CommandLine cli = new CommandLine(new MedallionCli());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cli.parseArgs("silver", "--catalogue", "main"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
        .hasMessage("Unknown options: '--catalogue', 'main'");
  }

  private static JsonNode jobDefinition() {
    return files.get(root.resolve("resources/medallion_job.yml")).at("/resources/jobs/medallion");
  }

  private static List<String> taskKeys(JsonNode job) {
    List<String> keys = new ArrayList<>();
    job.path("tasks").forEach(task -> keys.add(task.path("task_key").asText()));
    return keys;
  }

  private static Map<String, String> variableDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    files
        .get(root.resolve("databricks.yml"))
        .path("variables")
        .fields()
        .forEachRemaining(e -> defaults.put(e.getKey(), e.getValue().path("default").asText()));
    return defaults;
  }

  private static String substitute(String value, Map<String, String> variables) {
    Matcher matcher = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      assertThat(variables).as("variable %s used in %s", name, value).containsKey(name);
      matcher.appendReplacement(out, Matcher.quoteReplacement(variables.get(name)));
    }
    matcher.appendTail(out);
    assertThat(out.toString()).as("unresolved reference in %s", value).doesNotContain("${");
    return out.toString();
  }

  /**
   * The CLI's own schema ({@code databricks bundle schema}) when the CLI is installed, else the
   * copy in {@code ../shared/bundle-schema/}, else the test is skipped.
   */
  private static JsonSchema bundleSchema() {
    Optional<String> text = schemaFromCli().or(BundleTest::schemaFromSharedCopy);
    assumeTrue(
        text.isPresent(),
        "skipped: no schema (no `databricks` CLI on PATH and no ../shared/bundle-schema/jsonschema.json)");
    try {
      JsonNode schema = new ObjectMapper().readTree(text.get());
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> schemaFromCli() {
    try {
      Process process =
          new ProcessBuilder("databricks", "bundle", "schema")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean done = process.waitFor(60, TimeUnit.SECONDS);
      return done && process.exitValue() == 0 && !out.isBlank()
          ? Optional.of(out)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // no CLI on PATH
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> schemaFromSharedCopy() {
    Path copy = root.resolve("../shared/bundle-schema/jsonschema.json").normalize();
    try {
      return Files.isRegularFile(copy) ? Optional.of(Files.readString(copy)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> matching(String glob) {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    try (Stream<Path> paths = Files.walk(root.resolve(glob.substring(0, glob.indexOf('/'))))) {
      return paths.filter(path -> matcher.matches(root.relativize(path))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path path) {
    try {
      return YAML.readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
