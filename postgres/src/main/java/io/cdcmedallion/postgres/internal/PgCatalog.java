package io.cdcmedallion.postgres.internal;

import io.cdcmedallion.postgres.PgColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Catalog queries (pg_class, pg_attribute, pg_type) shared by preflight and sync. */
public final class PgCatalog {
  private PgCatalog() {}

  /**
   * A table as the catalog describes it.
   *
   * @param oid relation oid
   * @param schema schema name
   * @param name table name
   * @param kind {@code r} table, {@code p} partitioned table
   * @param replicaIdentity {@code d} default, {@code n} nothing, {@code f} full, {@code i} index
   * @param hasPrimaryKey whether a primary key constraint exists
   * @param primaryKey primary key columns in key order (empty without one)
   */
  public record TableInfo(
      long oid,
      String schema,
      String name,
      char kind,
      char replicaIdentity,
      boolean hasPrimaryKey,
      List<String> primaryKey) {}

  /** Tables and partitioned tables of {@code schema}, by name. */
  public static List<TableInfo> tables(Connection connection, String schema) throws SQLException {
    String sql =
        """
        SELECT c.oid, n.nspname, c.relname, c.relkind, c.relreplident,
               ARRAY(SELECT a.attname FROM pg_constraint k
                     CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.attnum
                     WHERE k.conrelid = c.oid AND k.contype = 'p' ORDER BY u.ord) AS pk,
               EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relkind IN ('r', 'p')
        ORDER BY c.relname
        """;
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, schema);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String[] pk = (String[]) rs.getArray(6).getArray();
          tables.add(
              new TableInfo(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4).charAt(0),
                  rs.getString(5).charAt(0),
                  rs.getBoolean(7),
                  List.of(pk)));
        }
      }
    }
    return tables;
  }

  /** The live columns of a relation, in column order. */
  public static List<PgColumn> columns(Connection connection, long relationOid)
      throws SQLException {
    String sql =
        """
        SELECT a.attname, t.typname, t.typtype, t.typcategory, a.atttypmod,
               format_type(a.atttypid, a.atttypmod)
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;
    List<PgColumn> columns = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, relationOid);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          columns.add(
              new PgColumn(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3).charAt(0),
                  rs.getString(4).charAt(0),
                  rs.getInt(5),
                  rs.getString(6)));
        }
      }
    }
    return columns;
  }

  /** A column of type {@code typeOid} with {@code typeMod}, as pgoutput's Relation names it. */
  public static PgColumn column(Connection connection, String name, int typeOid, int typeMod)
      throws SQLException {
    String sql =
        "SELECT typname, typtype, typcategory, format_type(oid, ?) FROM pg_type WHERE oid = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setInt(1, typeMod);
      statement.setLong(2, typeOid & 0xffffffffL);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new PgColumn(
            name,
            rs.getString(1),
            rs.getString(2).charAt(0),
            rs.getString(3).charAt(0),
            typeMod,
            rs.getString(4));
      }
    }
  }

  /** A Postgres identifier in double quotes (callers validate it first). */
  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
