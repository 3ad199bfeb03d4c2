package io.cdcmedallion.postgres;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Postgres column types that Lakehouse Sync (and this stand-in) replicate, and their Delta types:
 *
 * <table>
 *   <tr><th>Postgres</th><th>Delta</th></tr>
 *   <tr><td>bool</td><td>BOOLEAN</td></tr>
 *   <tr><td>int2, int4, int8</td><td>SMALLINT, INT, BIGINT</td></tr>
 *   <tr><td>text, varchar, bpchar, jsonb, enums</td><td>STRING</td></tr>
 *   <tr><td>numeric(p,s), p &le; 38</td><td>DECIMAL(p,s)</td></tr>
 *   <tr><td>date</td><td>DATE</td></tr>
 *   <tr><td>timestamp</td><td>TIMESTAMP_NTZ</td></tr>
 *   <tr><td>timestamptz</td><td>TIMESTAMP</td></tr>
 *   <tr><td>float4, float8</td><td>FLOAT, DOUBLE</td></tr>
 * </table>
 *
 * Anything else is a preflight finding with advice on how to restructure the column.
 */
public final class PgTypes {
  private static final DateTimeFormatter LOCAL_TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();
  private static final DateTimeFormatter OFFSET_TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(LOCAL_TIMESTAMP)
          .appendOffset("+HH:mm:ss", "Z")
          .toFormatter();

  private PgTypes() {}

  /** The Delta type of the column, or empty when it is not supported. */
  public static Optional<DataType> deltaType(PgColumn column) {
    if (column.typeKind() == 'e') {
      return Optional.of(DataTypes.StringType);
    }
    if (column.typeKind() != 'b' || column.typeCategory() == 'A') {
      return Optional.empty();
    }
    return Optional.ofNullable(
        switch (column.typeName()) {
          case "bool" -> DataTypes.BooleanType;
          case "int2" -> DataTypes.ShortType;
          case "int4" -> DataTypes.IntegerType;
          case "int8" -> DataTypes.LongType;
          case "text", "varchar", "bpchar", "jsonb" -> DataTypes.StringType;
          case "numeric" -> decimal(column.typeMod());
          case "date" -> DataTypes.DateType;
          case "timestamp" -> DataTypes.TimestampNTZType;
          case "timestamptz" -> DataTypes.TimestampType;
          case "float4" -> DataTypes.FloatType;
          case "float8" -> DataTypes.DoubleType;
          default -> null;
        });
  }

  private static DataType decimal(int typeMod) {
    if (typeMod < 4) {
      return null;
    }
    int precision = ((typeMod - 4) >> 16) & 0xffff;
    int scale = (typeMod - 4) & 0xffff;
    if (precision > DecimalType.MAX_PRECISION() || scale > precision) {
      return null;
    }
    return DataTypes.createDecimalType(precision, scale);
  }

  /** How to restructure an unsupported column so that it replicates. */
  public static String advice(PgColumn column) {
    if (column.typeCategory() == 'A') {
      return "store the elements in a child table (one row per element) or as a jsonb array";
    }
    return switch (column.typeKind()) {
      case 'd' ->
          "declare the column with the domain's base type and move the check to a CHECK constraint";
      case 'c' -> "flatten the composite type into one column per field";
      case 'r', 'm' -> "store the bounds in two columns (lower, upper)";
      default ->
          switch (column.typeName()) {
            case "numeric" ->
                "declare a precision and scale of at most 38 digits, e.g. numeric(18,2)";
            case "json" -> "use jsonb";
            case "uuid", "inet", "cidr", "macaddr", "xml", "citext" -> "store it as text";
            case "bytea" -> "keep binary data in object storage and store its path as text";
            case "time", "timetz", "interval" ->
                "store it as text or as a number (seconds, microseconds)";
            case "money" -> "use numeric(p,s)";
            default -> "convert it to a supported type (text, numeric(p,s), jsonb, timestamptz)";
          };
    };
  }

  /**
   * The Spark value of a column from its Postgres text form (what pgoutput sends and what {@code
   * col::text} returns), for a column of {@code type}.
   */
  public static Object parse(String text, DataType type) {
    if (text == null) {
      return null;
    }
    if (type.equals(DataTypes.BooleanType)) {
      return text.equals("t") || text.equals("true");
    } else if (type.equals(DataTypes.ShortType)) {
      return Short.parseShort(text);
    } else if (type.equals(DataTypes.IntegerType)) {
      return Integer.parseInt(text);
    } else if (type.equals(DataTypes.LongType)) {
      return Long.parseLong(text);
    } else if (type instanceof DecimalType decimal) {
      return new BigDecimal(text).setScale(decimal.scale());
    } else if (type.equals(DataTypes.DateType)) {
      return Date.valueOf(LocalDate.parse(text));
    } else if (type.equals(DataTypes.TimestampNTZType)) {
      return LocalDateTime.parse(text, LOCAL_TIMESTAMP);
    } else if (type.equals(DataTypes.TimestampType)) {
      return Timestamp.from(OffsetDateTime.parse(text, OFFSET_TIMESTAMP).toInstant());
    } else if (type.equals(DataTypes.FloatType)) {
      return Float.parseFloat(text);
    } else if (type.equals(DataTypes.DoubleType)) {
      return Double.parseDouble(text);
    }
    return text;
  }

  /** The Postgres type to publish a Delta column as. */
  public static String postgresType(DataType type) {
    if (type instanceof DecimalType decimal) {
      return "numeric(" + decimal.precision() + "," + decimal.scale() + ")";
    }
    if (type.equals(DataTypes.BooleanType)) {
      return "boolean";
    } else if (type.equals(DataTypes.ByteType) || type.equals(DataTypes.ShortType)) {
      return "smallint";
    } else if (type.equals(DataTypes.IntegerType)) {
      return "integer";
    } else if (type.equals(DataTypes.LongType)) {
      return "bigint";
    } else if (type.equals(DataTypes.FloatType)) {
      return "real";
    } else if (type.equals(DataTypes.DoubleType)) {
      return "double precision";
    } else if (type.equals(DataTypes.DateType)) {
      return "date";
    } else if (type.equals(DataTypes.TimestampType)) {
      return "timestamptz";
    } else if (type.equals(DataTypes.TimestampNTZType)) {
      return "timestamp";
    } else if (type.equals(DataTypes.StringType)) {
      return "text";
    }
    return null;
  }
}
