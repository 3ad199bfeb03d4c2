package io.cdcmedallion.session.internal;

import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.session.ConnectSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Builds a {@code DatabricksSession} by reflection, so that the default build (open-source Spark,
 * no Databricks Connect on the classpath) compiles this class unchanged. Only the {@code dbconnect}
 * profile's classpath has {@code com.databricks.connect.DatabricksSession}.
 */
public final class DatabricksConnect {
  static final String SESSION_CLASS = "com.databricks.connect.DatabricksSession";

  private DatabricksConnect() {}

  /** True when Databricks Connect is on the classpath. */
  public static boolean available() {
    try {
      Class.forName(SESSION_CLASS, false, DatabricksConnect.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** A Databricks Connect session; credentials come from the Databricks SDK's default chain. */
  public static SparkSession session(ConnectSettings settings) {
    if (!available()) {
      throw Errors.connectNotOnClasspath();
    }
    try {
      Object builder = Class.forName(SESSION_CLASS).getMethod("builder").invoke(null);
      if (settings.profile().isPresent()) {
        Class<?> configClass = Class.forName("com.databricks.sdk.core.DatabricksConfig");
        Object config = configClass.getConstructor().newInstance();
        configClass.getMethod("setProfile", String.class).invoke(config, settings.profile().get());
        builder = call(builder, "sdkConfig", new Class<?>[] {configClass}, config);
      }
      if (settings.clusterId().isPresent()) {
        builder =
            call(builder, "clusterId", new Class<?>[] {String.class}, settings.clusterId().get());
      } else if (settings.serverless()) {
        builder =
            call(
                builder,
                "serverless",
                new Class<?>[] {boolean.class, scala.Option.class},
                true,
                scala.Option.empty());
      }
      return (SparkSession) call(builder, "getOrCreate", new Class<?>[0]);
    } catch (InvocationTargetException e) {
      throw Errors.connectFailed(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw Errors.connectFailed(e);
    }
  }

  private static Object call(Object target, String name, Class<?>[] types, Object... args)
      throws ReflectiveOperationException {
    Method method = target.getClass().getMethod(name, types);
    return method.invoke(target, args);
  }

  /**
   * Uploads the classes of this project (the jars or class directories that hold {@code anchors})
   * to a Spark Connect session, so the server can run the jobs' typed functions. A class directory
   * (an IDE or a Maven test run) is packed into a temporary jar first.
   */
  public static void uploadClasses(SparkSession spark, List<Class<?>> anchors) {
    anchors.stream()
        .map(DatabricksConnect::codeSource)
        .distinct()
        .forEach(source -> spark.addArtifact(asJar(source).toString()));
  }

  static Path codeSource(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classes of " + anchor.getName(), e);
    }
  }

  static Path asJar(Path source) {
    if (!Files.isDirectory(source)) {
      return source;
    }
    try {
      Path jar = Files.createTempFile("cdc-medallion-classes-", ".jar");
      jar.toFile().deleteOnExit();
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file);
          Stream<Path> files = Files.walk(source)) {
        for (Path path : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          out.putNextEntry(new JarEntry(source.relativize(path).toString().replace('\\', '/')));
          Files.copy(path, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot pack " + source + " into a jar", e);
    }
  }
}
