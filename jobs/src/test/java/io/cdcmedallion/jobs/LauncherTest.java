package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script: it must give Spark the JVM flags Surefire gives, and keep a class-sharing
 * archive only from a run that started Spark.
 */
class LauncherTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void launcherPassesTheSameModuleOpensAsTheBuild() throws Exception {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher m = Pattern.compile("<spark.jvm.opens>([^<]*)</spark.jvm.opens>").matcher(pom);
    assertThat(m.find()).isTrue();
    List<String> fromPom = Arrays.asList(m.group(1).trim().split("\\s+"));

    String launcher = Files.readString(ROOT.resolve("medallion"));
    Matcher block = Pattern.compile("SPARK_JVM_OPENS=\\(([^)]*)\\)").matcher(launcher);
    assertThat(block.find()).isTrue();
    List<String> fromLauncher = Arrays.asList(block.group(1).trim().split("\\s+"));

    assertThat(fromLauncher).containsExactlyElementsOf(fromPom);
  }

  /**
   * The launcher runs against a stand-in {@code java} that writes the archive {@code
   * -XX:ArchiveClassesAtExit} names, as the JVM does at exit, and creates the marker the CLI
   * creates once Spark started (here: for {@code query}), then prints the class-sharing options it
   * got.
   */
  @Test
  void keepsTheClassArchiveOnlyFromARunThatStartedSpark() throws Exception {
    Path root = dir.resolve("checkout");
    Path target = Files.createDirectories(root.resolve("jobs/target"));
    Files.copy(ROOT.resolve("medallion"), root.resolve("medallion"));
    // A checkout whose POMs and sources are older than the jar: the launcher does not build.
    for (String module : List.of("", "shared/", "postgres/", "sample/", "jobs/", "bench/")) {
      Files.createDirectories(root.resolve(module + "src"));
      Path pom = Files.writeString(root.resolve(module + "pom.xml"), "<project/>");
      Files.setLastModifiedTime(pom, FileTime.from(Instant.EPOCH));
    }
    Files.writeString(target.resolve("cdc-medallion-jobs.jar"), "jar");
    Files.writeString(target.resolve("classpath.txt"), "spark.jar");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "for a in \"$@\"; do",
            "  case \"$a\" in",
            "    -XX:ArchiveClassesAtExit=*) archive=\"${a#*=}\"; echo \"writes archive\" ;;",
            "    -XX:SharedArchiveFile=*) echo \"maps archive\" ;;",
            "    -D" + JobContext.SPARK_STARTED_MARKER + "=*) marker=\"${a#*=}\" ;;",
            "    query) [[ -n \"${marker:-}\" ]] && : > \"$marker\" ;;",
            // Ctrl-C once Spark is up: the terminal interrupts the launcher and the JVM, which
            // has written the archive at its exit.
            "    interrupted) : > \"$marker\"; echo classes > \"$archive\";"
                + " kill -INT \"$PPID\"; kill -INT $$ ;;",
            "  esac",
            "done",
            "[[ -n \"${archive:-}\" ]] && echo classes > \"$archive\"",
            "exit 0",
            ""));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path archive = target.resolve("cdc-medallion-jobs.jsa");

    assertThat(launch(root, bin, 130, "interrupted")).containsExactly("writes archive");
    assertThat(archive).as("the archive of an interrupted run").doesNotExist();
    assertThat(launch(root, bin, "--help")).containsExactly("writes archive");
    assertThat(archive).as("an archive of --help's classes").doesNotExist();
    assertThat(launch(root, bin, "validate")).containsExactly("writes archive");
    assertThat(archive).doesNotExist();

    assertThat(launch(root, bin, "query", "SELECT 1")).containsExactly("writes archive");
    assertThat(archive).as("the archive of a run that started Spark").exists();
    assertThat(launch(root, bin, "--help")).containsExactly("maps archive");
    try (var files = Files.list(target)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no temporary archive or marker left behind")
          .containsExactlyInAnyOrder(
              "cdc-medallion-jobs.jar", "classpath.txt", "cdc-medallion-jobs.jsa");
    }
  }

  /**
   * Runs the launcher in {@code root} with {@code bin} first on the PATH; returns its output, and
   * checks it exited with 0.
   */
  private static List<String> launch(Path root, Path bin, String... args)
      throws IOException, InterruptedException {
    return launch(root, bin, 0, args);
  }

  private static List<String> launch(Path root, Path bin, int exitCode, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("medallion").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().remove("MEDALLION_CDS");
    builder.environment().remove("MEDALLION_JAVA_OPTS");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isEqualTo(exitCode);
    return out.lines().toList();
  }
}
