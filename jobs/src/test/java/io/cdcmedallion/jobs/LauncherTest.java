package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The launcher script and Surefire must give Spark the same JVM flags. */
class LauncherTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

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
}
