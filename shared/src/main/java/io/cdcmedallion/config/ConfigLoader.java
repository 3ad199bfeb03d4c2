package io.cdcmedallion.config;

import io.cdcmedallion.config.internal.EntityOptions;
import io.cdcmedallion.config.internal.ExpectationOptions;
import io.cdcmedallion.config.internal.GoldOptions;
import io.cdcmedallion.config.internal.IncrementalOptions;
import io.cdcmedallion.config.internal.Nodes;
import io.cdcmedallion.config.internal.SchemaOptions;
import io.cdcmedallion.config.internal.Section;
import io.cdcmedallion.config.internal.TopLevelOptions;
import io.cdcmedallion.config.internal.Values;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.quality.Expectation;
import io.cdcmedallion.quality.internal.ExpressionSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a pipeline YAML file into a {@link PipelineConfig}, validating every field. Errors name the
 * file, the line, the field and what is allowed. Each field is declared once, with its type,
 * default, checks and help, in {@code config/internal/*Options}; this class reads the declared
 * values and assembles the records, and {@code docs/configuration.md}'s field table is generated
 * from the same declarations.
 *
 * <pre>
 * catalog: main
 * schemas: {bronze: bronze, silver: silver, gold: gold}
 * entities:
 *   - name: orders
 *     keys: [order_id]
 *     scd: 2                              # also keep silver_orders_history
 *     track_history_columns: [status]     # optional; default: every value column
 * gold:
 *   - name: gold_daily_order_summary
 *   - name: gold_top_products
 *     sql: gold/gold_top_products.sql
 * </pre>
 */
public final class ConfigLoader {
  /** The sample shop pipeline shipped inside the jar; used when no config file is given. */
  public static final String SAMPLE_RESOURCE = "cdc-medallion/shop-pipeline.yml";

  /** Names of the bronze contract checks start with this; expectations may not. */
  public static final String CONTRACT_PREFIX = "contract_";

  private static final Pattern SELECT_START =
      Pattern.compile("^(?is)\\s*(?:--[^\\n]*\\n\\s*|/\\*.*?\\*/\\s*)*(select|with)\\b.*");

  private final Set<String> builtinGoldTables;

  /**
   * @param builtinGoldTables names of the gold tables implemented in Java; a gold entry without
   *     {@code sql} must name one of them
   */
  public ConfigLoader(Set<String> builtinGoldTables) {
    this.builtinGoldTables = Set.copyOf(builtinGoldTables);
  }

  /** Loads a config file; {@code .sql} paths in it are relative to the file's folder. */
  public PipelineConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.configFileUnreadable(file.toString(), e);
    }
    Path folder = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), sqlPath -> readFile(folder.resolve(sqlPath)));
  }

  /** Loads the sample shop pipeline shipped as a classpath resource. */
  public PipelineConfig loadSample() {
    String source = "classpath:" + SAMPLE_RESOURCE;
    String folder = SAMPLE_RESOURCE.substring(0, SAMPLE_RESOURCE.lastIndexOf('/') + 1);
    String text =
        readResource(SAMPLE_RESOURCE).orElseThrow(() -> Errors.configFileUnreadable(source, null));
    return parse(text, source, sqlPath -> readResource(folder + sqlPath));
  }

  /**
   * Parses config text.
   *
   * @param text the YAML
   * @param source file name used in messages
   * @param sqlFiles reads a {@code sql:} path; returns empty when the file does not exist
   */
  public PipelineConfig parse(
      String text, String source, Function<String, Optional<String>> sqlFiles) {
    return new Parser(source, sqlFiles).parse(text);
  }

  private static Optional<String> readFile(Path path) {
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> readResource(String name) {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private final class Parser {
    private final Nodes nodes;
    private final Function<String, Optional<String>> sqlFiles;
    private final Map<String, List<Expectation>> entityExpectations = new LinkedHashMap<>();
    private final Map<String, List<Expectation>> goldExpectations = new LinkedHashMap<>();

    Parser(String source, Function<String, Optional<String>> sqlFiles) {
      this.nodes = new Nodes(source);
      this.sqlFiles = sqlFiles;
    }

    PipelineConfig parse(String text) {
      String source = nodes.source();
      Node root;
      try (Reader reader = new StringReader(text)) {
        root = new Yaml(new LoaderOptions()).compose(reader);
      } catch (MarkedYAMLException e) {
        int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
        throw Errors.configInvalid(
            source, line, "(file)", "is not valid YAML: " + e.getProblem(), null);
      } catch (IOException | RuntimeException e) {
        throw Errors.configInvalid(
            source, 0, "(file)", "is not valid YAML: " + e.getMessage(), null);
      }
      if (root == null) {
        throw Errors.configInvalid(source, 1, "(file)", "is empty", "at least an 'entities' list");
      }
      Values top = TopLevelOptions.SECTION.read(nodes, root, Section.TOP_LEVEL);
      Values schemas = top.get(TopLevelOptions.SCHEMAS);

      List<EntityConfig> entities = new ArrayList<>();
      for (Values entity : top.get(TopLevelOptions.ENTITIES)) {
        String name = entity.get(EntityOptions.NAME);
        if (entityExpectations.containsKey(name)) {
          throw nodes.error(
              entity.line(),
              entity.path(EntityOptions.NAME),
              "repeats entity '" + name + "'",
              "each entity once");
        }
        entityExpectations.put(name, expectations(entity.get(EntityOptions.EXPECTATIONS), true));
        entities.add(entity(entity));
      }

      List<GoldTableConfig> goldTables = new ArrayList<>();
      for (Values table : top.get(TopLevelOptions.GOLD)) {
        String name = table.get(GoldOptions.NAME);
        if (goldExpectations.containsKey(name)) {
          throw nodes.error(
              table.line(),
              table.path(GoldOptions.NAME),
              "repeats gold table '" + name + "'",
              "each gold table once");
        }
        goldExpectations.put(name, expectations(table.get(GoldOptions.EXPECTATIONS), false));
        goldTables.add(goldTable(table));
      }

      Values incremental = top.get(TopLevelOptions.INCREMENTAL);
      return new PipelineConfig(
          source,
          top.get(TopLevelOptions.CATALOG),
          schemas.get(SchemaOptions.BRONZE),
          schemas.get(SchemaOptions.SILVER),
          schemas.get(SchemaOptions.GOLD),
          entities,
          goldTables,
          new QualityConfig(
              entityExpectations, goldExpectations, schemas.get(SchemaOptions.RUN_LOG)),
          new IncrementalConfig(
              incremental.get(IncrementalOptions.CHECKPOINTS),
              incremental.get(IncrementalOptions.TOMBSTONE_RETENTION)));
    }

    private EntityConfig entity(Values e) {
      TrackedColumns tracked =
          e.get(EntityOptions.TRACK_HISTORY_COLUMNS)
              .or(() -> e.get(EntityOptions.TRACK_HISTORY_EXCEPT_COLUMNS))
              .orElse(TrackedColumns.all());
      CdcOptions cdc =
          new CdcOptions(
              e.get(EntityOptions.SEQUENCE_TIE_BREAK),
              e.get(EntityOptions.APPLY_AS_DELETES),
              e.get(EntityOptions.COLUMNS),
              e.get(EntityOptions.EXCEPT_COLUMNS),
              e.get(EntityOptions.IGNORE_NULL_UPDATES));
      return new EntityConfig(
          e.get(EntityOptions.NAME),
          e.get(EntityOptions.KEYS),
          e.get(EntityOptions.SHAPE),
          e.get(EntityOptions.ON_TIE),
          e.get(EntityOptions.ON_INVALID_ROWS),
          e.get(EntityOptions.HISTORY_TABLE),
          e.get(EntityOptions.SILVER_TABLE),
          e.get(EntityOptions.SCD),
          tracked,
          cdc);
    }

    private GoldTableConfig goldTable(Values table) {
      String name = table.get(GoldOptions.NAME);
      Optional<String> sqlPath = table.get(GoldOptions.SQL);
      if (sqlPath.isEmpty()) {
        if (!builtinGoldTables.contains(name)) {
          throw nodes.error(
              table.line(),
              table.path(GoldOptions.NAME),
              "is '" + name + "', which is not a built-in gold table",
              "one of "
                  + String.join(", ", builtinGoldTables.stream().sorted().toList())
                  + ", or add 'sql: <file>.sql' holding one SELECT");
        }
        return GoldTableConfig.builtin(name);
      }
      int line = table.valueLine(GoldOptions.SQL);
      String path = sqlPath.get();
      String text =
          sqlFiles
              .apply(path)
              .orElseThrow(
                  () ->
                      nodes.error(
                          line,
                          table.path(GoldOptions.SQL),
                          "names '" + path + "', which cannot be read",
                          "a .sql file path relative to the config file"));
      String select = singleSelect(text);
      if (select == null) {
        throw nodes.error(
            line,
            table.path(GoldOptions.SQL),
            "file '" + path + "' does not hold exactly one SELECT statement",
            "one SELECT (or WITH ... SELECT) without CREATE and without a second statement");
      }
      Optional<String> syntaxError = ExpressionSyntax.firstStatementError(text);
      if (syntaxError.isPresent()) {
        throw nodes.error(
            line,
            table.path(GoldOptions.SQL),
            "file '" + path + "' is not valid SQL at " + syntaxError.get(),
            "one Spark SQL SELECT; fix the file at that line and column");
      }
      // Leading blank lines are kept, so that positions Spark reports are the file's own.
      String leading = text.substring(0, text.length() - text.stripLeading().length());
      return GoldTableConfig.ofSql(name, leading + select, path);
    }

    /**
     * The expectations of one table; names are unique per table, and an entity's may not start with
     * {@link #CONTRACT_PREFIX}.
     */
    private List<Expectation> expectations(List<Values> items, boolean entity) {
      List<Expectation> result = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (Values item : items) {
        String name = item.get(ExpectationOptions.NAME);
        int nameLine = item.valueLine(ExpectationOptions.NAME);
        String at = item.path(ExpectationOptions.NAME);
        if (entity && name.startsWith(CONTRACT_PREFIX)) {
          throw nodes.error(
              nameLine,
              at,
              "is '" + name + "', but names starting with '" + CONTRACT_PREFIX + "' are reserved",
              "another name (the contract checks are set with on_invalid_rows)");
        }
        if (!names.add(name)) {
          throw nodes.error(
              nameLine,
              at,
              "repeats expectation '" + name + "'",
              "each expectation name once per table");
        }
        result.add(
            new Expectation(
                name,
                item.get(ExpectationOptions.EXPR),
                item.get(ExpectationOptions.ACTION),
                nodes.source() + ":" + item.valueLine(ExpectationOptions.EXPR)));
      }
      return List.copyOf(result);
    }
  }

  /**
   * Returns the statement without a trailing semicolon when {@code text} is exactly one SELECT (or
   * WITH ... SELECT) statement, otherwise null.
   */
  static String singleSelect(String text) {
    String trimmed = text.strip();
    while (trimmed.endsWith(";")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
    }
    if (trimmed.isEmpty() || !SELECT_START.matcher(trimmed).matches()) {
      return null;
    }
    if (containsStatementSeparator(trimmed)) {
      return null;
    }
    return trimmed;
  }

  /** True when a semicolon appears outside quotes and comments. */
  private static boolean containsStatementSeparator(String sql) {
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 1;
      } else if (c == ';') {
        return true;
      }
    }
    return false;
  }
}
