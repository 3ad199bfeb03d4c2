package io.cdcmedallion.gold;

import io.cdcmedallion.config.GoldTableConfig;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.sql.Identifiers;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Catalog;

/**
 * A gold table defined by one SELECT statement from a {@code .sql} file, the cookbook's way of
 * writing gold tables. {@link io.cdcmedallion.config.ConfigLoader} has already checked that the
 * text is exactly one SELECT (or WITH ... SELECT).
 *
 * <p>Unqualified table names in the SELECT resolve in the silver schema: {@link #build} makes
 * {@code <catalog>.<silver_schema>} the session's current catalog and namespace while Spark
 * analyses the statement, and restores the previous ones afterwards. The returned Dataset is
 * already analysed (every table name resolved), so it can be written after the restore. The current
 * namespace belongs to the session, so SQL gold tables built at once (on other threads) take turns
 * for that switch; do not analyse other SQL with unqualified names on the same session from another
 * thread while a SQL gold table is being built.
 */
public final class SqlGoldTable implements GoldTable {
  private static final String TABLE_NOT_FOUND = "TABLE_OR_VIEW_NOT_FOUND";

  /**
   * Held while a build has switched the session's current catalog and namespace: SQL gold tables
   * built side by side take turns, so none analyses its SELECT in another's namespace or restores
   * the namespace under another's analysis.
   */
  private static final Object NAMESPACE_SWITCH = new Object();

  /** A position in Spark's messages: {@code line 2 pos 7} or {@code (line 2, pos 7)}. */
  private static final Pattern POSITION = Pattern.compile("\\(?line (\\d+),? pos (\\d+)\\)?");

  private final String name;
  private final String select;
  private final String source;

  /**
   * @param config a gold table with {@code sql} present
   * @throws IllegalArgumentException when {@code config} has no SQL (it names a built-in table)
   */
  public SqlGoldTable(GoldTableConfig config) {
    if (!config.isSql()) {
      throw new IllegalArgumentException(
          "gold table " + config.name() + " has no sql; it is a built-in table");
    }
    this.name = config.name();
    this.select = config.sql().get();
    this.source = config.sqlSource().orElse(config.name() + ".sql");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "SELECT from " + source;
  }

  /** The SELECT text. */
  public String select() {
    return select;
  }

  /**
   * Analyses the SELECT with the silver schema as current namespace.
   *
   * @throws io.cdcmedallion.errors.MedallionException when the silver schema does not exist, when a
   *     configured silver table the SELECT reads does not exist, or when the SELECT does not parse
   *     or analyse (unknown table or column, type error, ...)
   */
  @Override
  public Dataset<Row> build(SilverTables silver) {
    SparkSession spark = silver.spark();
    Catalog catalog = spark.catalog();
    String silverSchema =
        Identifiers.quote(silver.catalog()) + "." + Identifiers.quote(silver.schema());
    if (!catalog.databaseExists(silverSchema)) {
      throw Errors.silverSchemaMissing(
          silver.catalog() + "." + silver.schema(), silver.goldTable().toString());
    }
    synchronized (NAMESPACE_SWITCH) {
      return analyse(silver, spark, catalog);
    }
  }

  private Dataset<Row> analyse(SilverTables silver, SparkSession spark, Catalog catalog) {
    String previousCatalog = catalog.currentCatalog();
    String previousNamespace = catalog.currentDatabase();
    try {
      catalog.setCurrentCatalog(silver.catalog());
      catalog.setCurrentDatabase(Identifiers.quote(silver.schema()));
      // A temporary view keeps the namespace it was created in, so its names stay resolved after
      // the restore below, also over Spark Connect, where spark.sql(select) alone is analysed
      // only when it runs (by then against the restored namespace).
      String view = Identifiers.quote("_medallion_gold_" + name);
      // The SELECT starts on the statement's second line, so that Spark's "line N pos P" is line
      // N - 1, column P + 1 of the file (translate() says so).
      spark.sql("CREATE OR REPLACE TEMPORARY VIEW " + view + " AS\n" + select);
      return spark.table(view);
    } catch (Exception e) {
      // Scala does not declare AnalysisException (a checked exception), so catch broadly and sort.
      if (e instanceof AnalysisException analysis) {
        throw translate(silver, analysis);
      }
      throw e;
    } finally {
      catalog.setCurrentCatalog(previousCatalog);
      catalog.setCurrentDatabase(previousNamespace);
    }
  }

  private RuntimeException translate(SilverTables silver, AnalysisException e) {
    if (TABLE_NOT_FOUND.equals(e.getCondition())) {
      Optional<TableName> missingSilver =
          Optional.ofNullable(e.getMessageParameters().get("relationName"))
              .map(SqlGoldTable::lastNamePart)
              .flatMap(silver::configuredTable);
      if (missingSilver.isPresent()) {
        return Errors.silverTableMissing(
            missingSilver.get().toString(), silver.goldTable().toString());
      }
    }
    return Errors.goldSqlFailed(silver.goldTable().toString(), source, inFile(e));
  }

  /**
   * {@code e} with the positions of its first line moved from the wrapping statement to the file:
   * Spark's "line 2 pos 7" becomes "line 1, column 8 of the file".
   */
  private static Throwable inFile(Throwable e) {
    String first = Errors.firstLine(e);
    Matcher m = POSITION.matcher(first);
    if (!m.find()) {
      return e;
    }
    StringBuilder moved = new StringBuilder();
    m.reset();
    while (m.find()) {
      int line = Integer.parseInt(m.group(1)) - 1;
      int column = Integer.parseInt(m.group(2)) + 1;
      m.appendReplacement(
          moved,
          Matcher.quoteReplacement("(line " + line + ", column " + column + " of the file)"));
    }
    m.appendTail(moved);
    return new IllegalStateException(moved.toString(), e);
  }

  /**
   * {@code silver_orders} from {@code `silver_orders`} or {@code `main`.`silver`.`silver_orders`}.
   */
  private static String lastNamePart(String relationName) {
    String[] parts = relationName.split("\\.");
    return parts[parts.length - 1].replace("`", "");
  }
}
