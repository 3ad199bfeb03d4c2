package io.cdcmedallion.jobs;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Where a Maven command line of this project writes the thin jar, read from the POMs rather than
 * written down twice: the shade plugin's {@code outputFile} in jobs/pom.xml, under the build
 * directory that the active profiles of the parent POM set ({@code dbconnect}: target/dbconnect/).
 */
final class MavenBuild {
  private static final List<String> PACKAGING_PHASES = List.of("package", "verify", "install");

  private MavenBuild() {}

  /** The profiles a command line activates with {@code -P}. */
  static Set<String> profiles(String command) {
    Set<String> profiles = new LinkedHashSet<>();
    for (String token : command.split("\\s+")) {
      if (token.startsWith("-P")) {
        for (String id : token.substring(2).split(",")) {
          profiles.add(id.strip());
        }
      }
    }
    return profiles;
  }

  /**
   * The thin jar that {@code command} writes, as a bundle path relative to the project root ({@code
   * ./jobs/...}); empty when the command does not run Maven up to a phase that builds it.
   */
  static Optional<String> thinJarOf(Path root, String command) {
    List<String> tokens = List.of(command.strip().split("\\s+"));
    if (tokens.isEmpty()
        || !tokens.get(0).equals("mvn")
        || tokens.stream().noneMatch(PACKAGING_PHASES::contains)) {
      return Optional.empty();
    }
    String buildDirectory = "${project.basedir}/target";
    Document parent = parse(root.resolve("pom.xml"));
    for (Element profile : elements(parent.getDocumentElement(), "profiles", "profile")) {
      if (profiles(command).contains(text(profile, "id"))) {
        Optional<Element> build = child(profile, "build");
        Optional<String> directory =
            build.flatMap(b -> child(b, "directory")).map(Node::getTextContent);
        if (directory.isPresent()) {
          buildDirectory = directory.get().strip();
        }
      }
    }
    Document jobs = parse(root.resolve("jobs/pom.xml"));
    String outputFile = null;
    for (Element plugin : elements(jobs.getDocumentElement(), "build", "plugins", "plugin")) {
      if (text(plugin, "artifactId").equals("maven-shade-plugin")) {
        for (Element execution : elements(plugin, "executions", "execution")) {
          outputFile =
              child(execution, "configuration")
                  .flatMap(c -> child(c, "outputFile"))
                  .map(n -> n.getTextContent().strip())
                  .orElse(outputFile);
        }
      }
    }
    if (outputFile == null) {
      return Optional.empty();
    }
    String jar =
        outputFile
            .replace("${project.build.directory}", buildDirectory)
            .replace("${project.basedir}", "./jobs");
    return Optional.of(jar);
  }

  private static Document parse(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read " + pom, e);
    }
  }

  private static List<Element> elements(Element from, String... path) {
    List<Element> current = List.of(from);
    for (String name : path) {
      List<Element> next = new java.util.ArrayList<>();
      for (Element element : current) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
          if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
            next.add(child);
          }
        }
      }
      current = next;
    }
    return current;
  }

  private static Optional<Element> child(Element parent, String name) {
    return elements(parent, name).stream().findFirst();
  }

  private static String text(Element parent, String name) {
    return child(parent, name).map(e -> e.getTextContent().strip()).orElse("");
  }
}
