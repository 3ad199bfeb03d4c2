package io.cdcmedallion.config;

import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.quality.Expectation;
import io.cdcmedallion.quality.ExpectationAction;
import io.cdcmedallion.quality.internal.ExpressionSyntax;
import io.cdcmedallion.sql.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a pipeline YAML file into a {@link PipelineConfig}, validating every field. Errors name the
 * file, the line, the field and what is allowed.
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

  private static final Set<String> TOP_FIELDS =
      Set.of("catalog", "schemas", "entities", "gold", "incremental");
  private static final Set<String> INCREMENTAL_FIELDS =
      Set.of("checkpoints", "tombstone_retention");
  private static final Pattern DURATION = Pattern.compile("^(\\d{1,9})\\s*([smhd])$");
  private static final Set<String> SCHEMA_FIELDS = Set.of("bronze", "silver", "gold", "run_log");
  private static final Set<String> ENTITY_FIELDS =
      Set.of(
          "name",
          "keys",
          "shape",
          "on_tie",
          "on_invalid_rows",
          "history_table",
          "silver_table",
          "expectations",
          "scd",
          "track_history_columns",
          "track_history_except_columns",
          "sequence_tie_break",
          "apply_as_deletes",
          "columns",
          "except_columns",
          "ignore_null_updates");
  private static final Set<String> GOLD_FIELDS = Set.of("name", "sql", "expectations");
  private static final Set<String> EXPECTATION_FIELDS = Set.of("name", "expr", "action");

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
    private final String source;
    private final Function<String, Optional<String>> sqlFiles;
    private final Map<String, List<Expectation>> entityExpectations = new LinkedHashMap<>();
    private final Map<String, List<Expectation>> goldExpectations = new LinkedHashMap<>();

    Parser(String source, Function<String, Optional<String>> sqlFiles) {
      this.source = source;
      this.sqlFiles = sqlFiles;
    }

    PipelineConfig parse(String text) {
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
      Map<String, NodeTuple> top = mapping(root, "(top level)", TOP_FIELDS);

      String catalog = identifier(top, "catalog", "catalog").orElse(PipelineConfig.DEFAULT_CATALOG);
      String bronze = "bronze";
      String silver = "silver";
      String gold = "gold";
      Optional<String> runLog = Optional.empty();
      if (top.containsKey("schemas")) {
        Map<String, NodeTuple> schemas =
            mapping(top.get("schemas").getValueNode(), "schemas", SCHEMA_FIELDS);
        bronze = identifier(schemas, "bronze", "schemas.bronze").orElse(bronze);
        silver = identifier(schemas, "silver", "schemas.silver").orElse(silver);
        gold = identifier(schemas, "gold", "schemas.gold").orElse(gold);
        runLog = identifier(schemas, "run_log", "schemas.run_log");
      }

      if (!top.containsKey("entities")) {
        throw Errors.configInvalid(
            source,
            line(root),
            "entities",
            "is missing",
            "a list of entities, each with name and keys");
      }
      List<EntityConfig> entities = new ArrayList<>();
      Map<String, Node> entityNodes = new LinkedHashMap<>();
      List<Node> entityItems = sequence(top.get("entities").getValueNode(), "entities");
      for (int i = 0; i < entityItems.size(); i++) {
        EntityConfig entity = entity(entityItems.get(i), "entities[" + i + "]");
        if (entityNodes.put(entity.name(), entityItems.get(i)) != null) {
          throw Errors.configInvalid(
              source,
              line(entityItems.get(i)),
              "entities[" + i + "].name",
              "repeats entity '" + entity.name() + "'",
              "each entity once");
        }
        entities.add(entity);
      }
      if (entities.isEmpty()) {
        throw Errors.configInvalid(
            source,
            line(top.get("entities").getValueNode()),
            "entities",
            "is empty",
            "at least one entity with name and keys");
      }

      List<GoldTableConfig> goldTables = new ArrayList<>();
      if (top.containsKey("gold")) {
        List<Node> goldItems = sequence(top.get("gold").getValueNode(), "gold");
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < goldItems.size(); i++) {
          GoldTableConfig table = goldTable(goldItems.get(i), "gold[" + i + "]");
          if (!seen.add(table.name())) {
            throw Errors.configInvalid(
                source,
                line(goldItems.get(i)),
                "gold[" + i + "].name",
                "repeats gold table '" + table.name() + "'",
                "each gold table once");
          }
          goldTables.add(table);
        }
      }
      IncrementalConfig incremental = IncrementalConfig.defaults();
      if (top.containsKey("incremental")) {
        incremental = incremental(top.get("incremental").getValueNode());
      }
      return new PipelineConfig(
          source,
          catalog,
          bronze,
          silver,
          gold,
          entities,
          goldTables,
          new QualityConfig(entityExpectations, goldExpectations, runLog),
          incremental);
    }

    private IncrementalConfig incremental(Node node) {
      Map<String, NodeTuple> fields = mapping(node, "incremental", INCREMENTAL_FIELDS);
      Optional<String> checkpoints = Optional.empty();
      if (fields.containsKey("checkpoints")) {
        Node value = fields.get("checkpoints").getValueNode();
        String path = scalar(value, "incremental.checkpoints").strip();
        if (path.isEmpty()) {
          throw Errors.configInvalid(
              source,
              line(value),
              "incremental.checkpoints",
              "is empty",
              "a folder path or URI, e.g. /Volumes/main/silver/checkpoints");
        }
        checkpoints = Optional.of(path);
      }
      java.time.Duration retention = IncrementalConfig.DEFAULT_TOMBSTONE_RETENTION;
      if (fields.containsKey("tombstone_retention")) {
        Node value = fields.get("tombstone_retention").getValueNode();
        String text = scalar(value, "incremental.tombstone_retention").strip();
        java.util.regex.Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          throw Errors.configInvalid(
              source,
              line(value),
              "incremental.tombstone_retention",
              "is '" + text + "'",
              "a duration such as 7d, 12h, 30m or 0s");
        }
        long amount = Long.parseLong(m.group(1));
        retention =
            switch (m.group(2)) {
              case "s" -> java.time.Duration.ofSeconds(amount);
              case "m" -> java.time.Duration.ofMinutes(amount);
              case "h" -> java.time.Duration.ofHours(amount);
              default -> java.time.Duration.ofDays(amount);
            };
      }
      return new IncrementalConfig(checkpoints, retention);
    }

    private EntityConfig entity(Node node, String path) {
      Map<String, NodeTuple> fields = mapping(node, path, ENTITY_FIELDS);
      String name =
          identifier(fields, "name", path + ".name")
              .orElseThrow(
                  () ->
                      Errors.configInvalid(
                          source,
                          line(node),
                          path + ".name",
                          "is missing",
                          "the Postgres table name, e.g. orders"));
      if (!fields.containsKey("keys")) {
        throw Errors.configInvalid(
            source,
            line(node),
            path + ".keys",
            "is missing",
            "the primary key column(s), e.g. keys: [order_id]");
      }
      Node keysNode = fields.get("keys").getValueNode();
      List<String> keys = new ArrayList<>();
      List<Node> keyItems =
          keysNode instanceof ScalarNode ? List.of(keysNode) : sequence(keysNode, path + ".keys");
      for (int i = 0; i < keyItems.size(); i++) {
        keys.add(identifierValue(keyItems.get(i), path + ".keys[" + i + "]"));
      }
      if (keys.isEmpty()) {
        throw Errors.configInvalid(
            source, line(keysNode), path + ".keys", "is empty", "one or more primary key columns");
      }
      if (new java.util.HashSet<>(keys).size() != keys.size()) {
        throw Errors.configInvalid(
            source,
            line(keysNode),
            path + ".keys",
            "lists a column twice: " + keys,
            "each key column once");
      }
      Optional<MetadataShape> shape = Optional.empty();
      if (fields.containsKey("shape")) {
        String value =
            scalar(fields.get("shape").getValueNode(), path + ".shape").toLowerCase(Locale.ROOT);
        if (!value.equals("auto")) {
          shape =
              Optional.of(
                  MetadataShape.fromConfigName(value)
                      .orElseThrow(
                          () ->
                              Errors.configInvalid(
                                  source,
                                  line(fields.get("shape").getValueNode()),
                                  path + ".shape",
                                  "is '" + value + "'",
                                  "auto, cookbook (_change_type, _lsn, _commit_timestamp) or lakebase (_pg_change_type, _pg_lsn, ...)")));
        }
      }
      TiePolicy onTie =
          choice(fields, "on_tie", path, TiePolicy.values(), TiePolicy::configName, TiePolicy.PICK);
      InvalidRowPolicy onInvalid =
          choice(
              fields,
              "on_invalid_rows",
              path,
              InvalidRowPolicy.values(),
              InvalidRowPolicy::configName,
              InvalidRowPolicy.FAIL);
      Optional<String> history = identifier(fields, "history_table", path + ".history_table");
      Optional<String> silver = identifier(fields, "silver_table", path + ".silver_table");
      entityExpectations.put(name, expectations(fields, path, true));
      ScdType scd =
          choice(fields, "scd", path, ScdType.values(), ScdType::configName, ScdType.TYPE_1);
      TrackedColumns tracked = trackedColumns(fields, path, keys, scd);
      CdcOptions cdc = cdcOptions(fields, path, keys);
      if (scd == ScdType.TYPE_2 && cdc.ignoresNullUpdates()) {
        throw Errors.configInvalid(
            source,
            line(fields.get("ignore_null_updates").getKeyNode()),
            path + ".ignore_null_updates",
            "is true, but SCD type 2 history does not carry values over null updates",
            "ignore_null_updates: false with scd: 2, or scd: 1");
      }
      return new EntityConfig(
          name, keys, shape, onTie, onInvalid, history, silver, scd, tracked, cdc);
    }

    /**
     * {@code track_history_columns} or {@code track_history_except_columns} (at most one, only with
     * {@code scd: 2}, no key columns). Whether the columns exist is checked against the bronze
     * table when silver runs.
     */
    private TrackedColumns trackedColumns(
        Map<String, NodeTuple> fields, String path, List<String> keys, ScdType scd) {
      String onlyField = "track_history_columns";
      String exceptField = "track_history_except_columns";
      boolean only = fields.containsKey(onlyField);
      if (!only && !fields.containsKey(exceptField)) {
        return TrackedColumns.all();
      }
      if (only && fields.containsKey(exceptField)) {
        throw Errors.configInvalid(
            source,
            line(fields.get(exceptField).getKeyNode()),
            path + "." + exceptField,
            "is given together with " + onlyField,
            "one of the two: the columns whose changes open a new version, or the columns whose changes do not");
      }
      String field = only ? onlyField : exceptField;
      String at = path + "." + field;
      NodeTuple tuple = fields.get(field);
      if (scd != ScdType.TYPE_2) {
        throw Errors.configInvalid(
            source,
            line(tuple.getKeyNode()),
            at,
            "is set, but entity history is kept only with scd: 2",
            "'scd: 2' on this entity, or no " + field);
      }
      Node listNode = tuple.getValueNode();
      List<Node> items =
          listNode instanceof ScalarNode ? List.of(listNode) : sequence(listNode, at);
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        String column = identifierValue(items.get(i), at + "[" + i + "]");
        if (keys.contains(column)) {
          throw Errors.configInvalid(
              source,
              line(items.get(i)),
              at + "[" + i + "]",
              "is key column '" + column + "'",
              "value columns only (the keys identify the versions and are never tracked)");
        }
        if (columns.contains(column)) {
          throw Errors.configInvalid(
              source,
              line(items.get(i)),
              at + "[" + i + "]",
              "repeats column '" + column + "'",
              "each column once");
        }
        columns.add(column);
      }
      if (only && columns.isEmpty()) {
        throw Errors.configInvalid(
            source,
            line(listNode),
            at,
            "is empty",
            "at least one value column (omit the field to track every value column)");
      }
      return only ? TrackedColumns.only(columns) : TrackedColumns.except(columns);
    }

    /**
     * A SQL expression field: its text, stripped; empty text or a syntax error is a config error
     * naming the field, with {@code example} as what is expected.
     */
    private String sqlExpression(Node node, String field, String example) {
      String expr = scalar(node, field).strip();
      Optional<String> syntaxError =
          expr.isEmpty() ? Optional.of("it is empty") : ExpressionSyntax.firstError(expr);
      if (syntaxError.isPresent()) {
        throw Errors.configInvalid(
            source,
            line(node),
            field,
            "is not a valid SQL expression (" + syntaxError.get() + ")",
            "a boolean Spark SQL expression, e.g. " + example);
      }
      return expr;
    }

    /**
     * The AUTO CDC options of an entity: tie-break columns, soft deletes, columns, null updates.
     */
    private CdcOptions cdcOptions(Map<String, NodeTuple> fields, String path, List<String> keys) {
      List<String> tieBreak = columnList(fields, "sequence_tie_break", path);
      List<String> columns = columnList(fields, "columns", path);
      List<String> except = columnList(fields, "except_columns", path);
      if (!columns.isEmpty() && !except.isEmpty()) {
        throw Errors.configInvalid(
            source,
            line(fields.get("except_columns").getKeyNode()),
            path + ".except_columns",
            "is given together with 'columns'",
            "either 'columns' (the columns to keep) or 'except_columns' (the columns to drop)");
      }
      for (String key : keys) {
        if (except.contains(key)) {
          throw Errors.configInvalid(
              source,
              line(fields.get("except_columns").getValueNode()),
              path + ".except_columns",
              "lists key column '" + key + "'",
              "data columns only; key columns are always kept");
        }
      }
      Optional<CdcOptions.SqlCondition> deletes = Optional.empty();
      if (fields.containsKey("apply_as_deletes")) {
        Node exprNode = fields.get("apply_as_deletes").getValueNode();
        String expr = sqlExpression(exprNode, path + ".apply_as_deletes", "is_deleted = true");
        deletes = Optional.of(new CdcOptions.SqlCondition(expr, source + ":" + line(exprNode)));
      }
      CdcOptions.NullUpdates nullUpdates = CdcOptions.NullUpdates.OVERWRITE;
      if (fields.containsKey("ignore_null_updates")) {
        Node node = fields.get("ignore_null_updates").getValueNode();
        String value = scalar(node, path + ".ignore_null_updates").toLowerCase(Locale.ROOT);
        nullUpdates =
            switch (value) {
              case "true" -> CdcOptions.NullUpdates.IGNORE;
              case "false" -> CdcOptions.NullUpdates.OVERWRITE;
              default ->
                  throw Errors.configInvalid(
                      source,
                      line(node),
                      path + ".ignore_null_updates",
                      "is '" + value + "'",
                      "true or false");
            };
      }
      return new CdcOptions(tieBreak, deletes, columns, except, nullUpdates);
    }

    /** A non-empty list of distinct column names, or empty when the field is absent. */
    private List<String> columnList(Map<String, NodeTuple> fields, String field, String path) {
      if (!fields.containsKey(field)) {
        return List.of();
      }
      String at = path + "." + field;
      Node node = fields.get(field).getValueNode();
      List<Node> items = node instanceof ScalarNode ? List.of(node) : sequence(node, at);
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        String column = identifierValue(items.get(i), at + "[" + i + "]");
        if (columns.contains(column)) {
          throw Errors.configInvalid(
              source, line(items.get(i)), at, "lists '" + column + "' twice", "each column once");
        }
        columns.add(column);
      }
      if (columns.isEmpty()) {
        throw Errors.configInvalid(
            source, line(node), at, "is empty", "one or more column names, or leave it out");
      }
      return columns;
    }

    private GoldTableConfig goldTable(Node node, String path) {
      Map<String, NodeTuple> fields = mapping(node, path, GOLD_FIELDS);
      String name =
          identifier(fields, "name", path + ".name")
              .orElseThrow(
                  () ->
                      Errors.configInvalid(
                          source, line(node), path + ".name", "is missing", "the gold table name"));
      goldExpectations.put(name, expectations(fields, path, false));
      if (!fields.containsKey("sql")) {
        if (!builtinGoldTables.contains(name)) {
          throw Errors.configInvalid(
              source,
              line(node),
              path + ".name",
              "is '" + name + "', which is not a built-in gold table",
              "one of "
                  + String.join(", ", builtinGoldTables.stream().sorted().toList())
                  + ", or add 'sql: <file>.sql' holding one SELECT");
        }
        return GoldTableConfig.builtin(name);
      }
      Node sqlNode = fields.get("sql").getValueNode();
      String sqlPath = scalar(sqlNode, path + ".sql");
      String text =
          sqlFiles
              .apply(sqlPath)
              .orElseThrow(
                  () ->
                      Errors.configInvalid(
                          source,
                          line(sqlNode),
                          path + ".sql",
                          "names '" + sqlPath + "', which cannot be read",
                          "a .sql file path relative to the config file"));
      String select = singleSelect(text);
      if (select == null) {
        throw Errors.configInvalid(
            source,
            line(sqlNode),
            path + ".sql",
            "file '" + sqlPath + "' does not hold exactly one SELECT statement",
            "one SELECT (or WITH ... SELECT) without CREATE and without a second statement");
      }
      Optional<String> syntaxError = ExpressionSyntax.firstStatementError(text);
      if (syntaxError.isPresent()) {
        throw Errors.configInvalid(
            source,
            line(sqlNode),
            path + ".sql",
            "file '" + sqlPath + "' is not valid SQL at " + syntaxError.get(),
            "one Spark SQL SELECT; fix the file at that line and column");
      }
      // Leading blank lines are kept, so that positions Spark reports are the file's own.
      String leading = text.substring(0, text.length() - text.stripLeading().length());
      return GoldTableConfig.ofSql(name, leading + select, sqlPath);
    }

    private List<Expectation> expectations(
        Map<String, NodeTuple> fields, String path, boolean entity) {
      if (!fields.containsKey("expectations")) {
        return List.of();
      }
      List<Node> items =
          sequence(fields.get("expectations").getValueNode(), path + ".expectations");
      List<Expectation> result = new ArrayList<>();
      Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < items.size(); i++) {
        Node item = items.get(i);
        String at = path + ".expectations[" + i + "]";
        Map<String, NodeTuple> f = mapping(item, at, EXPECTATION_FIELDS);
        String name =
            identifier(f, "name", at + ".name")
                .orElseThrow(
                    () ->
                        Errors.configInvalid(
                            source,
                            line(item),
                            at + ".name",
                            "is missing",
                            "a name for the expectation, e.g. non_negative_total"));
        if (entity && name.startsWith(CONTRACT_PREFIX)) {
          throw Errors.configInvalid(
              source,
              line(f.get("name").getValueNode()),
              at + ".name",
              "is '" + name + "', but names starting with '" + CONTRACT_PREFIX + "' are reserved",
              "another name (the contract checks are set with on_invalid_rows)");
        }
        if (!names.add(name)) {
          throw Errors.configInvalid(
              source,
              line(f.get("name").getValueNode()),
              at + ".name",
              "repeats expectation '" + name + "'",
              "each expectation name once per table");
        }
        if (!f.containsKey("expr")) {
          throw Errors.configInvalid(
              source,
              line(item),
              at + ".expr",
              "is missing",
              "a boolean Spark SQL expression, e.g. total_amount >= 0");
        }
        Node exprNode = f.get("expr").getValueNode();
        String expr = sqlExpression(exprNode, at + ".expr", "total_amount >= 0");
        ExpectationAction action =
            choice(
                f,
                "action",
                at,
                ExpectationAction.values(),
                ExpectationAction::configName,
                ExpectationAction.WARN);
        result.add(new Expectation(name, expr, action, source + ":" + line(exprNode)));
      }
      return List.copyOf(result);
    }

    private <E> E choice(
        Map<String, NodeTuple> fields,
        String field,
        String path,
        E[] values,
        Function<E, String> spelling,
        E fallback) {
      if (!fields.containsKey(field)) {
        return fallback;
      }
      Node node = fields.get(field).getValueNode();
      String value = scalar(node, path + "." + field).toLowerCase(Locale.ROOT);
      return Arrays.stream(values)
          .filter(v -> spelling.apply(v).equals(value))
          .findFirst()
          .orElseThrow(
              () ->
                  Errors.configInvalid(
                      source,
                      line(node),
                      path + "." + field,
                      "is '" + value + "'",
                      "one of " + String.join(", ", Arrays.stream(values).map(spelling).toList())));
    }

    private Map<String, NodeTuple> mapping(Node node, String path, Set<String> allowed) {
      if (!(node instanceof MappingNode mappingNode)) {
        throw Errors.configInvalid(
            source, line(node), path, "is not a mapping", "fields " + sorted(allowed));
      }
      Map<String, NodeTuple> fields = new LinkedHashMap<>();
      for (NodeTuple tuple : mappingNode.getValue()) {
        String key = scalar(tuple.getKeyNode(), path);
        if (!allowed.contains(key)) {
          throw Errors.configInvalid(
              source,
              line(tuple.getKeyNode()),
              qualify(path, key),
              "is not a known field",
              "fields " + sorted(allowed));
        }
        if (fields.put(key, tuple) != null) {
          throw Errors.configInvalid(
              source,
              line(tuple.getKeyNode()),
              qualify(path, key),
              "is given twice",
              "each field once");
        }
      }
      return fields;
    }

    private List<Node> sequence(Node node, String path) {
      if (!(node instanceof SequenceNode sequenceNode)) {
        throw Errors.configInvalid(
            source,
            line(node),
            path,
            "is not a list",
            "a YAML list (items starting with '- ' or [a, b])");
      }
      return sequenceNode.getValue();
    }

    private String scalar(Node node, String path) {
      if (!(node instanceof ScalarNode scalarNode)) {
        throw Errors.configInvalid(
            source, line(node), path, "is not a single value", "a plain value");
      }
      return scalarNode.getValue();
    }

    private Optional<String> identifier(Map<String, NodeTuple> fields, String field, String path) {
      if (!fields.containsKey(field)) {
        return Optional.empty();
      }
      return Optional.of(identifierValue(fields.get(field).getValueNode(), path));
    }

    private String identifierValue(Node node, String path) {
      String value = scalar(node, path);
      if (!Identifiers.isValid(value)) {
        throw Errors.configInvalid(
            source,
            line(node),
            path,
            "is '" + value + "', not a plain identifier",
            "letters, digits and underscores, starting with a letter or underscore (at most 128)");
      }
      return value;
    }

    private String qualify(String path, String key) {
      return path.equals("(top level)") ? key : path + "." + key;
    }

    private int line(Node node) {
      return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
  }

  private static String sorted(Set<String> names) {
    return String.join(", ", names.stream().sorted().toList());
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
