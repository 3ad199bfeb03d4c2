package io.cdcmedallion.session.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a local lakehouse self-contained when its directory is copied or moved ({@code cp -a lh
 * lh-copy}). The Hive metastore in {@code metastore_db/} stores absolute locations, so a copy would
 * read and write the original's tables. Each open records the directory in {@code .medallion-home};
 * when the lakehouse is opened from another directory (or the file is missing), the metastore's
 * locations under the old {@code warehouse/} are rewritten to this one's before Spark starts. Delta
 * tables and checkpoints hold only relative paths, so after that the copy is an independent
 * lakehouse and the original is never touched.
 */
public final class LakehouseHome {
  private static final String MARKER = ".medallion-home";

  private LakehouseHome() {}

  /**
   * Makes the metastore of the lakehouse at {@code directory} point at its own {@code warehouse}
   * (call it holding the lakehouse lock, before the session starts).
   *
   * @return the warehouse the locations pointed at before, when they were rewritten
   */
  public static Optional<Path> adopt(Path directory, Path warehouse, Path metastore) {
    Path marker = directory.resolve(MARKER);
    try {
      String here = directory.toString();
      boolean recordedHere =
          Files.exists(marker)
              && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(here);
      Optional<Path> moved = Optional.empty();
      if (!recordedHere && Files.isDirectory(metastore)) {
        moved = relocate(metastore, warehouse);
      }
      Files.writeString(marker, here + "\n", StandardCharsets.UTF_8);
      return moved;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record the home of lakehouse " + directory, e);
    }
  }

  private static Optional<Path> relocate(Path metastore, Path warehouse) {
    String url = "jdbc:derby:" + metastore;
    try {
      try (Connection c = DriverManager.getConnection(url)) {
        c.setAutoCommit(false);
        Optional<Path> old = defaultDatabaseLocation(c);
        if (old.isEmpty() || old.get().equals(warehouse)) {
          return Optional.empty();
        }
        rewrite(c, "DBS", "DB_ID", "DB_LOCATION_URI", null, old.get(), warehouse);
        rewrite(c, "SDS", "SD_ID", "LOCATION", null, old.get(), warehouse);
        rewrite(c, "SERDE_PARAMS", "SERDE_ID", "PARAM_VALUE", "path", old.get(), warehouse);
        c.commit();
        return old;
      } finally {
        shutdown(metastore);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot point the metastore of lakehouse "
              + metastore.getParent()
              + " at its own tables: "
              + e.getMessage(),
          e);
    }
  }

  /** The default database's directory: the warehouse itself, when the metastore was created. */
  private static Optional<Path> defaultDatabaseLocation(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT DB_LOCATION_URI FROM DBS WHERE NAME = 'default'")) {
      return r.next() ? filePath(r.getString(1)) : Optional.empty();
    }
  }

  private static void rewrite(
      Connection c,
      String table,
      String id,
      String column,
      String paramKey,
      Path oldWarehouse,
      Path warehouse)
      throws SQLException {
    String where = paramKey == null ? "" : " WHERE PARAM_KEY = '" + paramKey + "'";
    String key = paramKey == null ? id : id + ", PARAM_KEY";
    List<Object[]> updates = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT " + key + ", " + column + " FROM " + table + where)) {
      while (r.next()) {
        Optional<Path> path = filePath(r.getString(column));
        if (path.isPresent() && path.get().startsWith(oldWarehouse)) {
          Path moved = warehouse.resolve(oldWarehouse.relativize(path.get()));
          updates.add(new Object[] {r.getLong(id), "file:" + moved});
        }
      }
    }
    String update =
        "UPDATE "
            + table
            + " SET "
            + column
            + " = ? WHERE "
            + id
            + " = ?"
            + (paramKey == null ? "" : " AND PARAM_KEY = '" + paramKey + "'");
    try (PreparedStatement p = c.prepareStatement(update)) {
      for (Object[] u : updates) {
        p.setString(1, (String) u[1]);
        p.setLong(2, (Long) u[0]);
        p.executeUpdate();
      }
    }
  }

  private static Optional<Path> filePath(String location) {
    if (location == null || !location.startsWith("file:")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(new URI(location).getPath()).normalize());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Closes the database so that the metastore client can boot it (Derby allows one boot). */
  private static void shutdown(Path metastore) {
    try {
      DriverManager.getConnection("jdbc:derby:" + metastore + ";shutdown=true").close();
    } catch (SQLException expected) {
      // Derby reports a successful shutdown of one database as SQLState 08006.
    }
  }
}
