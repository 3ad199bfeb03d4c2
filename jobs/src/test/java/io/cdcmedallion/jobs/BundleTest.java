package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.lang.reflect.Modifier;
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
 * Offline checks that the Databricks bundle (databricks.yml and the files it includes, plus the
 * optional resources/optional/*.yml) deploys and runs as written, on serverless (dev) and on a
 * classic job cluster (prod). Nothing here reaches a workspace, so the rules come from the
 * Databricks CLI's source, github.com/databricks/cli at commit {@value BundleConfig#CLI_COMMIT}
 * (each rule names its file), and from the platform's documentation (docs/databricks.md):
 *
 * <ul>
 *   <li>each file validates against the CLI's bundle JSON schema;
 *   <li>a local path is uploaded and rewritten only in task {@code libraries}, {@code
 *       environments[].spec.dependencies} and artifact {@code files} (plus an artifact's build
 *       {@code path}); anywhere else, e.g. {@code java_dependencies}, it reaches the workspace as
 *       written and points nowhere;
 *   <li>each artifact's {@code files.source} is the jar its build command produces, and a
 *       serverless target gets the jar built against Databricks Connect;
 *   <li>no root path under /Workspace/Shared (the CLI warns it is writable by all users);
 *   <li>the scheduled task runs silver incrementally with its checkpoints on a volume of the
 *       bundle, a full refresh is one job parameter away, and every task argument parses.
 * </ul>
 */
class BundleTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String JOB = "medallion";
  private static final Set<String> TARGETS = Set.of("dev", "prod");

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
    for (String glob : globs) {
      List<Path> matched = matching(glob);
      assertThat(matched).as("files matching include %s", glob).isNotEmpty();
      matched.forEach(path -> files.put(path, read(path)));
    }
  }

  /** The bundle as deployed: the included files, without the optional (commented-out) ones. */
  private static BundleConfig target(String name) {
    return BundleConfig.forTarget(List.copyOf(files.values()), name);
  }

  @Test
  void everyBundleFileValidatesAgainstTheBundleSchema() {
    JsonSchema schema = bundleSchema();
    Map<Path, JsonNode> all = new LinkedHashMap<>(files);
    // The optional Lakebase resources are commented out of `include`; check them too.
    matching("resources/optional/*.yml").forEach(path -> all.put(path, read(path)));
    assertThat(all.keySet())
        .extracting(path -> root.relativize(path).toString())
        .contains(
            "databricks.yml",
            "resources/medallion_job.yml",
            "resources/schemas.yml",
            "resources/volumes.yml",
            "resources/optional/lakebase.yml");
    all.forEach(
        (path, node) ->
            assertThat(schema.validate(node)).as("schema errors in %s", path).isEmpty());
  }

  @Test
  void theSchemaCheckCatchesAMisspelledField() {
    JsonSchema schema = bundleSchema();
    ObjectNode job = (ObjectNode) read(root.resolve("resources/medallion_job.yml")).deepCopy();
    ObjectNode task =
        (ObjectNode) job.path("resources").path("jobs").path(JOB).path("tasks").get(0);
    task.set("spark_jar_tsk", task.remove("spark_jar_task"));

    Set<ValidationMessage> errors = schema.validate(job);

    assertThat(errors)
        .extracting(ValidationMessage::getMessage)
        .anySatisfy(message -> assertThat(message).contains("spark_jar_tsk"));
  }

  @Test
  void theJobRunsSilverThenGoldHourlyAndMailsOnFailure() {
    for (String name : TARGETS) {
      JsonNode job = target(name).job(JOB);
      assertThat(job.at("/trigger/periodic/interval").asInt()).as(name).isEqualTo(1);
      assertThat(job.at("/trigger/periodic/unit").asText()).as(name).isEqualTo("HOURS");
      assertThat(job.at("/email_notifications/on_failure/0").asText())
          .isEqualTo("${var.notification_email}");
      assertThat(taskKeys(job)).as(name).containsExactly("silver", "gold");
      assertThat(job.at("/tasks/1/depends_on/0/task_key").asText()).isEqualTo("silver");
    }
  }

  /**
   * The CLI uploads a local path and rewrites it to the uploaded copy only in the fields that
   * bundle/config/mutator/paths/job_libraries_paths_visitor.go and bundle/libraries/remote_path.go
   * ({@code collectLocalLibraries}) visit: task {@code libraries[].jar|whl} (also inside {@code
   * for_each_task}), {@code environments[].spec.dependencies}, and artifact {@code files[].source};
   * an artifact's {@code path} is its build directory (paths/artifact_paths_visitor.go). A local
   * path anywhere else, such as {@code environments[].spec.java_dependencies}, reaches the
   * workspace unchanged.
   */
  @Test
  void everyLocalPathSitsInAFieldTheCliUploadsAndRewrites() {
    List<Pattern> translated =
        Stream.of(
                "resources\\.jobs\\.[^.]+\\.tasks\\[\\d+]\\.libraries\\[\\d+]\\.(jar|whl)",
                "resources\\.jobs\\.[^.]+\\.tasks\\[\\d+]\\.for_each_task\\.task\\.libraries\\[\\d+]\\.(jar|whl)",
                "resources\\.jobs\\.[^.]+\\.environments\\[\\d+]\\.spec\\.dependencies\\[\\d+]",
                "artifacts\\.[^.]+\\.files\\[\\d+]\\.source",
                "artifacts\\.[^.]+\\.path",
                // Not deploy-time paths: the include globs, and the bundle's own name.
                "include\\[\\d+]")
            .map(p -> Pattern.compile("(targets\\.[^.]+\\.)?" + p))
            .toList();
    List<String> misplaced = new ArrayList<>();
    files.forEach(
        (file, node) ->
            BundleConfig.forEachString(
                node,
                (path, value) -> {
                  if (isLibraryLocal(value)
                      && translated.stream().noneMatch(p -> p.matcher(path).matches())) {
                    misplaced.add(
                        "%s: %s = %s is a local path in a field the CLI neither uploads nor rewrites"
                            .formatted(root.relativize(file), path, value));
                  }
                }));
    assertThat(misplaced).isEmpty();
  }

  /**
   * The CLI's {@code IsLibraryLocal} (bundle/libraries/local_path.go): a path starting with {@code
   * .}, or a relative path with a file extension and no URI scheme.
   */
  private static boolean isLibraryLocal(String value) {
    if (value.isEmpty() || value.contains("${") || value.contains("{{")) {
      return false;
    }
    if (value.startsWith(".")) {
      return true;
    }
    boolean hasExtension = value.matches(".*\\.[A-Za-z0-9]+$") && !value.contains(" ");
    boolean remote = value.startsWith("/") || value.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    return hasExtension && !remote && value.contains("/");
  }

  /**
   * {@code java_dependencies} is passed to the workspace as written (no CLI code visits it), so
   * every entry must be a remote path: the CLI uploads each artifact file to {@code
   * <artifact_path>/.internal/<file name>} (bundle/libraries/remote_path.go, {@code
   * ReplaceWithRemotePath}; bundle/libraries/filer.go, {@code InternalDirName}), which is what the
   * CLI's default-scala template references
   * (libs/template/templates/default-scala/template/{{.project_name}}/resources/{{.project_name}}.job.yml.tmpl).
   * Serverless loads it from a Unity Catalog volume, as that template's artifact path is.
   */
  @Test
  void everyJavaDependencyIsTheUploadedArtifactOnAVolume() {
    List<String> problems = new ArrayList<>();
    for (String name : TARGETS) {
      BundleConfig bundle = target(name);
      List<String> uploaded = new ArrayList<>();
      bundle
          .root
          .path("artifacts")
          .forEach(
              artifact ->
                  artifact
                      .path("files")
                      .forEach(
                          file ->
                              uploaded.add(
                                  bundle.artifactPath()
                                      + "/.internal/"
                                      + Path.of(file.path("source").asText()).getFileName())));
      for (JsonNode environment : bundle.job(JOB).path("environments")) {
        for (JsonNode dependency : environment.at("/spec/java_dependencies")) {
          String written = dependency.asText();
          String resolved = bundle.resolve(written);
          if (!resolved.startsWith("/Volumes/")) {
            problems.add(
                "%s: java_dependencies entry %s is not on a Unity Catalog volume"
                    .formatted(name, written));
          } else if (!uploaded.contains(resolved)) {
            problems.add(
                "%s: java_dependencies entry %s (%s) is none of the uploaded artifacts %s"
                    .formatted(name, written, resolved, uploaded));
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * The CLI refuses an artifact path on a volume that this bundle creates and that does not exist
   * yet (bundle/config/validate/validate_artifact_path.go: "You are using a volume in your
   * artifact_path that is managed by this bundle but which has not been deployed yet"): the first
   * deploy would fail. The artifact volume must be one that exists before the deploy.
   */
  @Test
  void theArtifactVolumeIsNotOneThisBundleCreates() {
    for (String name : TARGETS) {
      BundleConfig bundle = target(name);
      String artifactPath = bundle.artifactPath();
      if (!artifactPath.startsWith("/Volumes/")) {
        continue;
      }
      String[] parts = artifactPath.split("/");
      assertThat(parts.length).as("%s artifact path %s", name, artifactPath).isGreaterThan(4);
      bundle
          .root
          .at("/resources/volumes")
          .forEach(
              volume ->
                  assertThat(
                          bundle.resolve(volume.path("catalog_name").asText())
                              + "."
                              + bundle.resolve(volume.path("schema_name").asText())
                              + "."
                              + bundle.resolve(volume.path("name").asText()))
                      .as(
                          "%s: the artifact path %s is on a volume of this bundle",
                          name, artifactPath)
                      .isNotEqualTo(parts[2] + "." + parts[3] + "." + parts[4]));
    }
  }

  /**
   * Each artifact's {@code files.source} is the jar its {@code build} command writes, read from the
   * POMs (the dbconnect profile's build directory, the shade plugin's output file); a target that
   * runs on serverless (its job has {@code environments}) gets the Databricks Connect build, the
   * API surface of serverless compute, and a classic target the default build.
   */
  @Test
  void everyArtifactIsTheJarItsBuildProducesAndServerlessGetsTheDatabricksConnectBuild() {
    List<String> problems = new ArrayList<>();
    for (String name : TARGETS) {
      BundleConfig bundle = target(name);
      boolean serverless = bundle.job(JOB).has("environments");
      JsonNode artifacts = bundle.root.path("artifacts");
      if (artifacts.isEmpty()) {
        problems.add(name + ": no artifact builds the jar");
      }
      artifacts
          .fields()
          .forEachRemaining(
              entry -> {
                String build = entry.getValue().path("build").asText();
                Optional<String> produced = MavenBuild.thinJarOf(root, build);
                List<String> sources = new ArrayList<>();
                entry.getValue().path("files").forEach(f -> sources.add(f.path("source").asText()));
                if (produced.isEmpty()) {
                  problems.add(
                      "%s: artifact %s: build `%s` does not package the thin jar"
                          .formatted(name, entry.getKey(), build));
                } else if (!sources.equals(List.of(produced.get()))) {
                  problems.add(
                      "%s: artifact %s: files %s, but `%s` produces %s"
                          .formatted(name, entry.getKey(), sources, build, produced.get()));
                }
                boolean dbconnect = MavenBuild.profiles(build).contains("dbconnect");
                if (serverless != dbconnect) {
                  problems.add(
                      "%s: artifact %s: build `%s` is %s, but the target runs on %s"
                          .formatted(
                              name,
                              entry.getKey(),
                              build,
                              dbconnect
                                  ? "the Databricks Connect build"
                                  : "the open-source Spark build",
                              serverless
                                  ? "serverless (needs -Pdbconnect)"
                                  : "a classic cluster (needs the default build)"));
                }
              });
    }
    assertThat(problems).isEmpty();
    // The default build's jar is the one the tests build and read (ThinJarTest).
    assertThat(root.resolve(MavenBuild.thinJarOf(root, "mvn package").orElseThrow()).normalize())
        .isEqualTo(ProjectFiles.thinJar());
  }

  /**
   * bundle/permissions/validate.go warns "the bundle root path ... is writable by all workspace
   * users" for a root under /Workspace/Shared/ without CAN_MANAGE for group {@code users}; the
   * CLI's templates deploy production to the user's own folder.
   */
  @Test
  void noTargetDeploysToAFolderEveryUserCanWrite() {
    for (String name : TARGETS) {
      BundleConfig bundle = target(name);
      String rootPath = bundle.rootPath();
      assertThat(rootPath)
          .as("%s root_path (bundle/permissions/validate.go would warn)", name)
          .doesNotStartWith("/Workspace/Shared/")
          .doesNotStartWith("/Shared/")
          .startsWith("/Workspace/Users/" + BundleConfig.USER + "/");
    }
  }

  /**
   * The hourly run applies only new bronze changes ({@code silver --mode incremental}, the
   * available-now trigger serverless supports) and keeps its streaming checkpoints on a Unity
   * Catalog volume that this bundle creates: a job has no local disk that outlives a run.
   */
  @Test
  void theScheduledSilverTaskRunsIncrementallyWithCheckpointsOnTheBundlesVolume() {
    for (String name : TARGETS) {
      BundleConfig bundle = target(name);
      JsonNode job = bundle.job(JOB);
      assertThat(job.path("trigger").isMissingNode()).as("%s: scheduled", name).isFalse();
      ParseResult silver = parse(bundle.taskArguments(job, task(job, "silver"), Map.of()));
      assertThat(silver.commandSpec().name()).isEqualTo("silver");
      assertThat(silver.matchedOptionValue("--mode", "full"))
          .as("%s: the scheduled silver task's --mode", name)
          .isEqualTo("incremental");
      assertThat(silver.hasMatchedOption("--trigger")).as("%s: --trigger", name).isFalse();
      String checkpoints = silver.matchedOptionValue("--checkpoints", "");
      assertThat(checkpoints).as("%s: --checkpoints", name).startsWith("/Volumes/");
      List<String> volumes = new ArrayList<>();
      bundle
          .root
          .at("/resources/volumes")
          .forEach(
              v ->
                  volumes.add(
                      "/Volumes/"
                          + bundle.resolve(v.path("catalog_name").asText())
                          + "/"
                          + bundle.resolve(v.path("schema_name").asText())
                          + "/"
                          + bundle.resolve(v.path("name").asText())));
      assertThat(volumes).as("%s: volumes of the bundle", name).contains(checkpoints);
    }
  }

  /**
   * Catalog, schemas, mode and checkpoints are job parameters ({@code {{job.parameters.<name>}}},
   * as the CLI's default-scala template does), so one run can override them; a task argument fixed
   * at deploy time ({@code ${var.*}}) could not be.
   */
  @Test
  void everyTaskArgumentThatNamesALocationOrModeIsAJobParameter() {
    for (String name : TARGETS) {
      JsonNode job = target(name).job(JOB);
      List<String> defined = new ArrayList<>();
      job.path("parameters").forEach(p -> defined.add(p.path("name").asText()));
      assertThat(defined)
          .as(name)
          .contains("catalog", "bronze_schema", "silver_schema", "gold_schema", "mode");
      for (JsonNode task : job.path("tasks")) {
        JsonNode parameters = task.at("/spark_jar_task/parameters");
        for (int i = 1; i < parameters.size(); i++) {
          if (parameters.get(i - 1).asText().startsWith("--")) {
            String value = parameters.get(i).asText();
            assertThat(BundleConfig.jobParametersIn(value))
                .as(
                    "%s task %s: value of %s",
                    name, task.path("task_key").asText(), parameters.get(i - 1).asText())
                .hasSize(1)
                .isSubsetOf(defined);
          }
        }
      }
    }
  }

  @Test
  void aFullRefreshIsOneJobParameterAway() {
    BundleConfig bundle = target("dev");
    JsonNode job = bundle.job(JOB);
    ParseResult silver =
        parse(bundle.taskArguments(job, task(job, "silver"), Map.of("mode", "full")));
    assertThat(silver.matchedOptionValue("--mode", "")).isEqualTo("full");
    // The command accepts it: --checkpoints is a location, valid with both modes.
    assertThat(silver.hasMatchedOption("--checkpoints")).isTrue();
  }

  @Test
  void everyTasksArgumentsParseWithTheDefaultsInEveryTarget() {
    for (String name : TARGETS) {
      BundleConfig bundle = target(name);
      JsonNode job = bundle.job(JOB);
      for (JsonNode task : job.path("tasks")) {
        assertThat(task.at("/spark_jar_task/main_class_name").asText())
            .isEqualTo(DatabricksMain.class.getName());
        ParseResult command = parse(bundle.taskArguments(job, task, Map.of()));
        assertThat(command.commandSpec().name()).isEqualTo(task.path("task_key").asText());
        assertThat(command.matchedOptionValue("--catalog", "")).isEqualTo("main");
        assertThat(command.matchedOptionValue("--bronze-schema", "")).isEqualTo("bronze");
        assertThat(command.matchedOptionValue("--silver-schema", "")).isEqualTo("silver");
        assertThat(command.matchedOptionValue("--gold-schema", "")).isEqualTo("gold");
      }
    }
  }

  @Test
  void aTaskParameterTheCliDoesNotKnowIsCaught() {
    CommandLine cli = new CommandLine(new MedallionCli());
    assertThatThrownBy(() -> cli.parseArgs("silver", "--catalogue", "main"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
        .hasMessage("Unknown options: '--catalogue', 'main'");
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
            .isEqualTo(Modifier.PUBLIC | Modifier.STATIC);
      }
    }
  }

  /**
   * The deploy and run commands in docs/databricks.md name what the bundle defines: each {@code -t}
   * a target, each {@code bundle run} a job, each {@code --params} key a job parameter (with a
   * value the task accepts), each {@code --var} a variable.
   */
  @Test
  void theDocumentedCommandsNameWhatTheBundleDefines() throws IOException {
    List<String> commands =
        Files.readAllLines(root.resolve("docs/databricks.md")).stream()
            .map(String::strip)
            .filter(line -> line.startsWith("databricks bundle "))
            .map(line -> line.replaceAll("\\s+#.*$", ""))
            .toList();
    assertThat(commands)
        .contains(
            "databricks bundle validate -t dev",
            "databricks bundle deploy -t dev",
            "databricks bundle run medallion -t dev",
            "databricks bundle run medallion -t dev --params mode=full");
    Pattern option = Pattern.compile("(-t|--params|--var)[ =]\"?([^\" ]+)\"?");
    for (String command : commands) {
      Matcher matcher = option.matcher(command);
      String targetName = "dev";
      Map<String, String> params = new LinkedHashMap<>();
      while (matcher.find()) {
        switch (matcher.group(1)) {
          case "-t" -> targetName = matcher.group(2);
          case "--params" -> {
            for (String pair : matcher.group(2).split(",")) {
              params.put(
                  pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
          }
          default -> {
            String variable = matcher.group(2).substring(0, matcher.group(2).indexOf('='));
            assertThat(files.get(root.resolve("databricks.yml")).path("variables").has(variable))
                .as("variable %s of %s", variable, command)
                .isTrue();
          }
        }
      }
      assertThat(TARGETS).as("target of %s", command).contains(targetName);
      if (command.startsWith("databricks bundle run ")) {
        String jobName = command.split(" ")[3];
        BundleConfig bundle = target(targetName);
        JsonNode job = bundle.job(jobName);
        assertThat(job.isMissingNode()).as("job of %s", command).isFalse();
        for (JsonNode task : job.path("tasks")) {
          parse(bundle.taskArguments(job, task, params));
        }
        List<String> defined = new ArrayList<>();
        job.path("parameters").forEach(p -> defined.add(p.path("name").asText()));
        assertThat(defined).as("job parameters of %s", command).containsAll(params.keySet());
      }
    }
  }

  private static ParseResult parse(List<String> args) {
    return new CommandLine(new MedallionCli()).parseArgs(args.toArray(String[]::new)).subcommand();
  }

  private static JsonNode task(JsonNode job, String key) {
    for (JsonNode task : job.path("tasks")) {
      if (task.path("task_key").asText().equals(key)) {
        return task;
      }
    }
    throw new AssertionError("no task " + key);
  }

  private static List<String> taskKeys(JsonNode job) {
    List<String> keys = new ArrayList<>();
    job.path("tasks").forEach(task -> keys.add(task.path("task_key").asText()));
    return keys;
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
