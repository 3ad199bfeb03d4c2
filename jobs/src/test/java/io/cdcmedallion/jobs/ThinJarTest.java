package io.cdcmedallion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Reads the thin jars the bundle deploys and checks that each holds exactly what its task's
 * classpath needs: this project's classes (Java 17 class files) and its own small dependencies,
 * relocated; nothing the compute provides (Spark, Delta, Scala, Jackson, log4j, Databricks
 * Connect); and every class a jar class refers to is either in the jar or provided.
 *
 * <p>The default build's jar exists in every {@code mvn test} (it is built at process-classes). The
 * Databricks Connect build's jar exists after {@code mvn -Pdbconnect -DskipTests package}; .ci/run
 * builds it before the test command and then checks that this class skipped nothing. {@code
 * -Dmedallion.dbconnectJar=required} turns a missing jar into a failure instead of a skip.
 */
class ThinJarTest {
  /** The package prefixes a classic Databricks Runtime 17.3 (or spark-submit) provides. */
  private static final List<String> CLASSIC_PROVIDES =
      List.of(
          "java/",
          "javax/",
          "jdk/",
          "sun/",
          "org/w3c/",
          "org/xml/",
          "scala/",
          "org/apache/spark/",
          // Spark's SQL parser runtime, a dependency of spark-catalyst on every Spark classpath.
          "org/antlr/v4/runtime/",
          "io/delta/",
          "org/apache/hadoop/",
          "com/fasterxml/jackson/",
          "org/apache/logging/log4j/",
          "org/slf4j/");

  /** Serverless provides the Spark Connect API surface of Databricks Connect 17.3 instead. */
  private static final List<String> SERVERLESS_PROVIDES =
      List.of(
          "java/",
          "javax/",
          "jdk/",
          "sun/",
          "org/w3c/",
          "org/xml/",
          "scala/",
          "org/apache/spark/",
          "io/delta/",
          "com/fasterxml/jackson/",
          "org/apache/logging/log4j/",
          "org/slf4j/",
          "com/databricks/");

  /**
   * Classes of the local Postgres commands ({@code sync}, {@code preflight}, {@code publish},
   * {@code demo --source postgres}) refer to the JDBC driver and embedded PostgreSQL, which no job
   * task loads; the jar leaves them out on purpose.
   */
  private static final List<String> LOCAL_ONLY = List.of("org/postgresql/", "io/zonky/");

  /** Nothing of the compute's own libraries is in either jar. */
  private static final List<String> NEVER_IN_THE_JAR =
      List.of(
          "org/apache/spark/",
          "io/delta/",
          "scala/",
          "com/databricks/",
          "com/fasterxml/",
          "org/apache/logging/",
          "org/slf4j/",
          "picocli/",
          "org/yaml/");

  private static final List<String> OUR_CLASSES =
      List.of(
          "io/cdcmedallion/jobs/DatabricksMain.class",
          "io/cdcmedallion/jobs/MedallionCli.class",
          "io/cdcmedallion/silver/SilverJob.class",
          "io/cdcmedallion/silver/IncrementalSilver.class",
          "io/cdcmedallion/gold/GoldJob.class",
          "io/cdcmedallion/session/DatasetCache.class",
          "io/cdcmedallion/shaded/picocli/CommandLine.class",
          "io/cdcmedallion/shaded/snakeyaml/Yaml.class",
          "cdc-medallion/shop-pipeline.yml");

  @Test
  void theClassicJarHoldsOurClassesAndShadedDependenciesOnly() throws IOException {
    Path jar = ProjectFiles.thinJar();
    checkContents(jar, CLASSIC_PROVIDES);
    try (JarFile file = new JarFile(jar.toFile())) {
      // Compiled against open-source Spark and Delta: the local catalog is in it.
      assertThat(file.getEntry("io/cdcmedallion/session/internal/LocalCatalog.class")).isNotNull();
    }
  }

  @Test
  void theServerlessJarIsTheDatabricksConnectBuildWithTheSameContents() throws IOException {
    Path jar =
        ProjectFiles.root()
            .resolve(
                MavenBuild.thinJarOf(ProjectFiles.root(), "mvn -Pdbconnect package").orElseThrow())
            .normalize();
    boolean required = "required".equals(System.getProperty("medallion.dbconnectJar"));
    if (required) {
      assertThat(jar).as("run `mvn -B -q -Pdbconnect -DskipTests package` first").isRegularFile();
    }
    assumeTrue(
        Files.isRegularFile(jar),
        "skipped: " + jar + " is built by `mvn -Pdbconnect -DskipTests package`");
    checkContents(jar, SERVERLESS_PROVIDES);
    try (JarFile file = new JarFile(jar.toFile())) {
      // The dbconnect profile leaves out the classes that need classic Spark and Delta.
      assertThat(file.getEntry("io/cdcmedallion/session/internal/LocalCatalog.class")).isNull();
      assertThat(file.getEntry("io/cdcmedallion/quality/internal/AntlrExpressionSyntax.class"))
          .isNull();
    }
  }

  private static void checkContents(Path jar, List<String> provided) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    Set<String> entries = new TreeSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        entries.add(entry.getName());
        if (entry.getName().endsWith(".class")) {
          try (InputStream in = file.getInputStream(entry)) {
            classes.put(entry.getName(), in.readAllBytes());
          }
        }
      }
    }
    assertThat(entries).as("entries of %s", jar).contains(OUR_CLASSES.toArray(String[]::new));
    List<String> foreign =
        entries.stream()
            .filter(name -> NEVER_IN_THE_JAR.stream().anyMatch(name::startsWith))
            .toList();
    assertThat(foreign).as("libraries the compute provides, in %s", jar).isEmpty();
    List<String> unexpected =
        entries.stream()
            .filter(
                name ->
                    !name.startsWith("io/cdcmedallion/")
                        && !name.startsWith("META-INF/")
                        && !name.startsWith("cdc-medallion/")
                        && !name.equals("io/"))
            .toList();
    assertThat(unexpected).as("entries outside this project's folders in %s", jar).isEmpty();

    List<String> problems = new ArrayList<>();
    classes.forEach(
        (name, bytes) -> {
          int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
          if (!name.startsWith("io/cdcmedallion/shaded/") && major != 61) {
            problems.add(name + ": class file version " + major + ", not 61 (Java 17)");
          }
          for (String referenced : referencedClasses(bytes)) {
            boolean resolved =
                classes.containsKey(referenced + ".class")
                    || provided.stream().anyMatch(referenced::startsWith)
                    || (LOCAL_ONLY.stream().anyMatch(referenced::startsWith)
                        && (name.startsWith("io/cdcmedallion/postgres/")
                            || name.startsWith("io/cdcmedallion/jobs/")));
            if (!resolved) {
              problems.add(
                  name + " refers to " + referenced + ", which is neither in the jar nor provided");
            }
          }
        });
    assertThat(problems).as("classes of %s", jar).isEmpty();
  }

  /** The classes named by CONSTANT_Class entries of a class file's constant pool (JVMS 4.4). */
  static Set<String> referencedClasses(byte[] classFile) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
      in.skipBytes(8); // magic, minor, major
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      List<Integer> classNameIndexes = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classNameIndexes.add(in.readUnsignedShort());
          case 8, 16, 19, 20 -> in.skipBytes(2);
          case 15 -> in.skipBytes(3);
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
          case 5, 6 -> {
            in.skipBytes(8);
            i++; // long and double take two slots
          }
          default -> throw new IllegalStateException("unknown constant pool tag " + tag);
        }
      }
      Set<String> names = new TreeSet<>();
      for (int index : classNameIndexes) {
        String name = utf8[index];
        // Array classes: keep the element class, drop primitives.
        String element = name.replaceFirst("^\\[+", "");
        if (element.startsWith("L") && element.endsWith(";")) {
          names.add(element.substring(1, element.length() - 1));
        } else if (!name.startsWith("[")) {
          names.add(name);
        }
      }
      return names;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
