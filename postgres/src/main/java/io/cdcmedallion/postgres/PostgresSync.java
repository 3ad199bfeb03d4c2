package io.cdcmedallion.postgres;

import io.cdcmedallion.bronze.ChangeType;
import io.cdcmedallion.bronze.MetadataShape;
import io.cdcmedallion.errors.Errors;
import io.cdcmedallion.lakehouse.TableName;
import io.cdcmedallion.lakehouse.Tables;
import io.cdcmedallion.postgres.PreflightFinding.Check;
import io.cdcmedallion.postgres.internal.PgCatalog;
import io.cdcmedallion.postgres.internal.PgCatalog.TableInfo;
import io.cdcmedallion.postgres.internal.PgOutput;
import io.cdcmedallion.postgres.internal.PgOutput.Begin;
import io.cdcmedallion.postgres.internal.PgOutput.Commit;
import io.cdcmedallion.postgres.internal.PgOutput.Delete;
import io.cdcmedallion.postgres.internal.PgOutput.Insert;
import io.cdcmedallion.postgres.internal.PgOutput.LogicalMessage;
import io.cdcmedallion.postgres.internal.PgOutput.Relation;
import io.cdcmedallion.postgres.internal.PgOutput.RelationColumn;
import io.cdcmedallion.postgres.internal.PgOutput.Truncate;
import io.cdcmedallion.postgres.internal.PgOutput.Update;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * A local stand-in for Lakehouse Sync: Postgres logical replication (pgoutput through the pgjdbc
 * replication API) into {@code lb_<table>_history} Delta tables.
 *
 * <p>On first start it creates a publication and a logical slot, copies every table in a snapshot
 * taken at the slot's consistent point (its rows become inserts at that LSN), then streams changes:
 * inserts, updates as a pre-image and a post-image sharing the change's LSN, deletes with the whole
 * old row. Changes are buffered per transaction and committed to Delta on the flush interval, whole
 * transactions only; each Delta commit records the commit LSN of its last transaction in the
 * commit's {@code userMetadata}, and Postgres is told the LSN is flushed only after every table's
 * commit. A restart resumes at the slot's acknowledged position and skips transactions at or below
 * the LSN each history table recorded, so no change is lost or written twice.
 */
public final class PostgresSync {
  private static final String METADATA_PREFIX = "cdc-medallion sync slot=";
  private static final String DRAIN_PREFIX = "cdc-medallion.drain";

  private final SparkSession spark;
  private final PgSource source;
  private final SyncSettings settings;
  private final Function<String, TableName> historyTable;
  private final SyncListener listener;

  /**
   * @param historyTable the history table of a Postgres table name
   */
  public PostgresSync(
      SparkSession spark,
      PgSource source,
      SyncSettings settings,
      Function<String, TableName> historyTable,
      SyncListener listener) {
    this.spark = spark;
    this.source = source;
    this.settings = settings;
    this.historyTable = historyTable;
    this.listener = listener;
  }

  /** A synced table: its columns, history table and the last commit LSN Delta holds for it. */
  private static final class Target {
    final String name;
    final TableName history;
    List<PgColumn> columns;
    StructType dataSchema;
    boolean evolved;
    long watermark = -1;
    final List<Row> batch = new ArrayList<>();

    Target(String name, TableName history, List<PgColumn> columns) {
      this.name = name;
      this.history = history;
      this.columns = columns;
      this.dataSchema = dataSchema(name, columns);
    }
  }

  /** Runs until stopped ({@code once}: until the changes present at start are in Delta). */
  public SyncResult run() {
    try (Connection sql = source.open()) {
      requireLogicalWal(sql);
      Map<String, Target> targets = targets(sql);
      ensurePublication(sql, targets.keySet());
      Map<String, Long> snapshotRows = new LinkedHashMap<>();
      try (Connection replication = source.openReplication()) {
        PGConnection pg = replication.unwrap(PGConnection.class);
        Optional<Long> confirmed = slotPosition(sql);
        if (confirmed.isPresent()) {
          readWatermarks(targets);
          if (targets.values().stream().anyMatch(t -> t.watermark < 0)) {
            // The slot outlived an unfinished first snapshot: start over.
            dropSlot(sql);
            confirmed = Optional.empty();
          }
        }
        long start;
        if (confirmed.isEmpty()) {
          start = snapshot(sql, pg, targets, snapshotRows);
        } else {
          start = confirmed.get();
        }
        return stream(sql, pg, targets, start, snapshotRows);
      }
    } catch (SQLException e) {
      throw PostgresErrors.postgresQueryFailed("sync", Errors.firstLine(e), e);
    }
  }

  // ------------------------------------------------------------------ setup

  private static void requireLogicalWal(Connection sql) throws SQLException {
    try (Statement s = sql.createStatement();
        ResultSet rs = s.executeQuery("SHOW wal_level")) {
      rs.next();
      if (!rs.getString(1).equals("logical")) {
        throw PostgresErrors.syncNeedsLogicalWal(rs.getString(1));
      }
    }
  }

  private Map<String, Target> targets(Connection sql) throws SQLException {
    PreflightReport report = Preflight.check(sql, settings.schema(), settings.tables());
    for (PreflightFinding finding : report.findings()) {
      if (finding.check() != Check.NO_PRIMARY_KEY) {
        throw PostgresErrors.syncTableNotReady(finding.table(), finding.problem(), finding.fix());
      }
    }
    if (report.tables().isEmpty()) {
      throw PostgresErrors.syncNoTables(settings.schema());
    }
    Map<String, TableInfo> infos =
        PgCatalog.tables(sql, settings.schema()).stream()
            .collect(Collectors.toMap(TableInfo::name, t -> t));
    Map<String, Target> targets = new LinkedHashMap<>();
    for (String qualified : report.tables()) {
      String name = qualified.substring(settings.schema().length() + 1);
      List<PgColumn> columns = PgCatalog.columns(sql, infos.get(name).oid());
      Target target = new Target(name, historyTable.apply(name), columns);
      checkExistingHistory(target);
      targets.put(name, target);
    }
    return targets;
  }

  private void checkExistingHistory(Target target) {
    if (!Tables.exists(spark, target.history)) {
      return;
    }
    StructType existing = spark.table(target.history.quoted()).schema();
    List<StructField> data = new ArrayList<>();
    for (StructField field : existing.fields()) {
      if (!settings.shape().metadataColumns().contains(field.name())) {
        data.add(field);
      }
    }
    compatible(target, data.toArray(new StructField[0]), target.dataSchema);
  }

  /** Columns may be added at the end; anything else stops the sync. */
  private static void compatible(Target target, StructField[] before, StructType after) {
    StructField[] now = after.fields();
    boolean ok = now.length >= before.length;
    for (int i = 0; ok && i < before.length; i++) {
      ok = before[i].name().equals(now[i].name()) && before[i].dataType().equals(now[i].dataType());
    }
    if (!ok) {
      throw PostgresErrors.syncSchemaChanged(
          target.name, target.history.toString(), describe(before), describe(now));
    }
    if (now.length > before.length) {
      target.evolved = true;
    }
  }

  private static String describe(StructField[] fields) {
    List<String> parts = new ArrayList<>();
    for (StructField field : fields) {
      parts.add(field.name() + " " + field.dataType().simpleString());
    }
    return "(" + String.join(", ", parts) + ")";
  }

  private static StructType dataSchema(String table, List<PgColumn> columns) {
    List<StructField> fields = new ArrayList<>();
    for (PgColumn column : columns) {
      DataType type =
          PgTypes.deltaType(column)
              .orElseThrow(
                  () ->
                      PostgresErrors.syncTableNotReady(
                          table,
                          "column "
                              + column.name()
                              + " has unsupported type "
                              + column.declaredType(),
                          PgTypes.advice(column)));
      fields.add(DataTypes.createStructField(column.name(), type, true));
    }
    return DataTypes.createStructType(fields);
  }

  private StructType historySchema(Target target) {
    List<StructField> fields = new ArrayList<>(List.of(target.dataSchema.fields()));
    if (settings.shape() == MetadataShape.COOKBOOK) {
      fields.add(DataTypes.createStructField("_change_type", DataTypes.StringType, false));
      fields.add(DataTypes.createStructField("_lsn", DataTypes.LongType, false));
      fields.add(DataTypes.createStructField("_commit_timestamp", DataTypes.TimestampType, true));
    } else {
      fields.add(DataTypes.createStructField("_pg_change_type", DataTypes.StringType, false));
      fields.add(DataTypes.createStructField("_pg_lsn", DataTypes.LongType, false));
      fields.add(DataTypes.createStructField("_pg_xid", DataTypes.LongType, true));
      fields.add(DataTypes.createStructField("_timestamp", DataTypes.TimestampType, true));
      fields.add(DataTypes.createStructField("_sort_by", DataTypes.LongType, false));
    }
    return DataTypes.createStructType(fields);
  }

  private void ensurePublication(Connection sql, Iterable<String> tables) throws SQLException {
    try (PreparedStatement s =
        sql.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      s.setString(1, settings.slot());
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          requireSameTables(sql, tables);
          return;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (String table : tables) {
      names.add(PgCatalog.quote(settings.schema()) + "." + PgCatalog.quote(table));
    }
    try (Statement s = sql.createStatement()) {
      s.execute(
          "CREATE PUBLICATION "
              + PgCatalog.quote(settings.slot())
              + " FOR TABLE "
              + String.join(", ", names));
    }
  }

  /** A publication (and its slot) keeps the tables of its first start. */
  private void requireSameTables(Connection sql, Iterable<String> tables) throws SQLException {
    java.util.SortedSet<String> published = new java.util.TreeSet<>();
    try (PreparedStatement s =
        sql.prepareStatement(
            "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
      s.setString(1, settings.slot());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          published.add(rs.getString(1));
        }
      }
    }
    java.util.SortedSet<String> wanted = new java.util.TreeSet<>();
    tables.forEach(t -> wanted.add(settings.schema() + "." + t));
    if (!published.equals(wanted)) {
      throw PostgresErrors.syncPublicationMismatch(
          settings.slot(), String.join(", ", published), String.join(", ", wanted));
    }
  }

  private Optional<Long> slotPosition(Connection sql) throws SQLException {
    try (PreparedStatement s =
        sql.prepareStatement(
            "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
      s.setString(1, settings.slot());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(LogSequenceNumber.valueOf(rs.getString(1)).asLong());
      }
    }
  }

  private void dropSlot(Connection sql) throws SQLException {
    try (PreparedStatement s = sql.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
      s.setString(1, settings.slot());
      s.execute();
    }
  }

  /** The commit LSN each history table recorded for this slot, from its Delta history. */
  private void readWatermarks(Map<String, Target> targets) {
    String prefix = METADATA_PREFIX + settings.slot() + " lsn=";
    for (Target target : targets.values()) {
      if (!Tables.exists(spark, target.history)) {
        continue;
      }
      for (Row row :
          spark
              .sql("DESCRIBE HISTORY " + target.history.quoted())
              .select("userMetadata")
              .collectAsList()) {
        String metadata = row.getString(0);
        if (metadata != null && metadata.startsWith(prefix)) {
          target.watermark =
              LogSequenceNumber.valueOf(metadata.substring(prefix.length())).asLong();
          break;
        }
      }
    }
  }

  // ------------------------------------------------------------------ snapshot

  /**
   * Creates the slot, copies every table in the snapshot it exported, and commits each copy as
   * inserts at the consistent point, replacing any earlier history of the table.
   */
  private long snapshot(
      Connection sql, PGConnection pg, Map<String, Target> targets, Map<String, Long> rowsOut)
      throws SQLException {
    ReplicationSlotInfo slot =
        pg.getReplicationAPI()
            .createReplicationSlot()
            .logical()
            .withSlotName(settings.slot())
            .withOutputPlugin("pgoutput")
            .make();
    long lsn = slot.getConsistentPoint().asLong();
    Timestamp now = Timestamp.from(Instant.now());
    boolean autoCommit = sql.getAutoCommit();
    Map<Target, List<Row>> copies = new LinkedHashMap<>();
    sql.setAutoCommit(false);
    try (Statement s = sql.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      s.execute("SET TRANSACTION SNAPSHOT '" + slot.getSnapshotName().replace("'", "") + "'");
      for (Target target : targets.values()) {
        listener.snapshotStarted(target.name, target.history);
        List<Row> rows = new ArrayList<>();
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < target.columns.size(); i++) {
          select.append(i == 0 ? "" : ", ").append(asText(target.columns.get(i)));
        }
        select
            .append(" FROM ")
            .append(PgCatalog.quote(settings.schema()))
            .append(".")
            .append(PgCatalog.quote(target.name));
        try (ResultSet rs = s.executeQuery(select.toString())) {
          while (rs.next()) {
            String[] values = new String[target.columns.size()];
            for (int i = 0; i < values.length; i++) {
              values[i] = rs.getString(i + 1);
            }
            rows.add(row(target, values, ChangeType.INSERT, lsn, 0, null, now));
          }
        }
        copies.put(target, rows);
      }
      sql.commit();
    } finally {
      sql.setAutoCommit(autoCommit);
    }
    for (Map.Entry<Target, List<Row>> copy : copies.entrySet()) {
      Target target = copy.getKey();
      write(target, copy.getValue(), lsn, SaveMode.Overwrite);
      target.watermark = lsn;
      rowsOut.put(target.name, (long) copy.getValue().size());
      listener.snapshotDone(
          target.name,
          target.history,
          copy.getValue().size(),
          LogSequenceNumber.valueOf(lsn).asString());
    }
    return lsn;
  }

  /**
   * The column in the text form pgoutput sends. A cast to text would drop the blank padding of
   * {@code char(n)}, which the type's output function (used by {@code format}) keeps.
   */
  private static String asText(PgColumn column) {
    String quoted = PgCatalog.quote(column.name());
    return column.typeName().equals("bpchar")
        ? "CASE WHEN " + quoted + " IS NULL THEN NULL ELSE format('%s', " + quoted + ") END"
        : quoted + "::text";
  }

  // ------------------------------------------------------------------ streaming

  /** The changes of the transaction being received. */
  private static final class Transaction {
    final Begin begin;
    final Map<Target, List<Row>> rows = new LinkedHashMap<>();

    Transaction(Begin begin) {
      this.begin = begin;
    }
  }

  private SyncResult stream(
      Connection sql,
      PGConnection pg,
      Map<String, Target> targets,
      long start,
      Map<String, Long> snapshotRows)
      throws SQLException {
    Map<String, Long> changeRows = new LinkedHashMap<>();
    targets.keySet().forEach(t -> changeRows.put(t, 0L));
    Map<Integer, Target> relations = new LinkedHashMap<>();
    long transactions = 0;
    long skipped = 0;
    long acknowledged = start;
    try (PGReplicationStream stream =
        pg.getReplicationAPI()
            .replicationStream()
            .logical()
            .withSlotName(settings.slot())
            .withStartPosition(LogSequenceNumber.valueOf(start))
            .withSlotOption("proto_version", "1")
            .withSlotOption("publication_names", settings.slot())
            .withSlotOption("messages", "true")
            .start()) {
      String drainToken = null;
      if (settings.once()) {
        drainToken = UUID.randomUUID().toString();
        try (PreparedStatement s =
            sql.prepareStatement("SELECT pg_logical_emit_message(false, ?, ?)")) {
          s.setString(1, DRAIN_PREFIX);
          s.setString(2, drainToken);
          s.execute();
        }
      }
      Transaction open = null;
      int batchTransactions = 0;
      long batchCommitLsn = -1;
      long batchEndLsn = -1;
      long lastFlush = System.nanoTime();
      boolean done = false;
      while (!done) {
        ByteBuffer buffer = stream.readPending();
        boolean due = System.nanoTime() - lastFlush >= settings.flushInterval().toNanos();
        if (buffer == null) {
          if (due && open == null && batchTransactions > 0) {
            acknowledged = flush(stream, targets, batchTransactions, batchCommitLsn, batchEndLsn);
            batchTransactions = 0;
            lastFlush = System.nanoTime();
          }
          sleep();
          continue;
        }
        long lsn = stream.getLastReceiveLSN().asLong();
        PgOutput.Message message = PgOutput.decode(buffer);
        if (message instanceof Relation relation) {
          Target target = targets.get(relation.name());
          if (target != null && relation.schema().equals(settings.schema())) {
            relations.put(relation.oid(), target);
            relationChanged(sql, target, relation);
          }
        } else if (message instanceof Begin begin) {
          open = new Transaction(begin);
        } else if (message instanceof Insert insert) {
          Target target = relations.get(insert.relation());
          if (target != null) {
            add(
                open,
                target,
                row(target, insert.row(), ChangeType.INSERT, lsn, 0, open.begin, null));
          }
        } else if (message instanceof Update update) {
          Target target = relations.get(update.relation());
          if (target != null) {
            if (update.oldKind() != 'O') {
              throw PostgresErrors.syncNoOldImage(target.name, settings.schema());
            }
            String[] newRow = update.newRow().clone();
            for (int i = 0; i < newRow.length; i++) {
              if (newRow[i] == PgOutput.UNCHANGED) {
                newRow[i] = update.oldRow()[i];
              }
            }
            add(
                open,
                target,
                row(target, update.oldRow(), ChangeType.UPDATE_PREIMAGE, lsn, 1, open.begin, null));
            add(
                open,
                target,
                row(target, newRow, ChangeType.UPDATE_POSTIMAGE, lsn, 2, open.begin, null));
          }
        } else if (message instanceof Delete delete) {
          Target target = relations.get(delete.relation());
          if (target != null) {
            if (delete.oldKind() != 'O') {
              throw PostgresErrors.syncNoOldImage(target.name, settings.schema());
            }
            add(
                open,
                target,
                row(target, delete.oldRow(), ChangeType.DELETE, lsn, 0, open.begin, null));
          }
        } else if (message instanceof Truncate truncate) {
          List<String> names = new ArrayList<>();
          for (int oid : truncate.relations()) {
            Target target = relations.get(oid);
            if (target != null) {
              names.add(target.name);
            }
          }
          if (!names.isEmpty()) {
            if (settings.onTruncate() == SyncSettings.TruncatePolicy.STOP) {
              if (batchTransactions > 0) {
                flush(stream, targets, batchTransactions, batchCommitLsn, batchEndLsn);
              }
              throw PostgresErrors.syncTruncated(
                  String.join(", ", names), LogSequenceNumber.valueOf(lsn).asString());
            }
            listener.skipped("TRUNCATE of " + String.join(", ", names));
          }
        } else if (message instanceof Commit commit) {
          boolean any = false;
          for (Map.Entry<Target, List<Row>> entry : open.rows.entrySet()) {
            Target target = entry.getKey();
            if (commit.commitLsn() > target.watermark) {
              target.batch.addAll(entry.getValue());
              changeRows.merge(target.name, (long) entry.getValue().size(), Long::sum);
              any = true;
            }
          }
          if (any) {
            batchTransactions++;
            transactions++;
          } else if (!open.rows.isEmpty()) {
            skipped++;
            listener.skipped(
                "transaction "
                    + open.begin.xid()
                    + " (already in Delta up to "
                    + LogSequenceNumber.valueOf(commit.commitLsn()).asString()
                    + ")");
          }
          batchCommitLsn = commit.commitLsn();
          batchEndLsn = commit.endLsn();
          open = null;
          if (due && batchTransactions > 0) {
            acknowledged = flush(stream, targets, batchTransactions, batchCommitLsn, batchEndLsn);
            batchTransactions = 0;
            lastFlush = System.nanoTime();
          }
        } else if (message instanceof LogicalMessage m) {
          if (m.prefix().equals(DRAIN_PREFIX) && m.content().equals(drainToken)) {
            if (batchTransactions > 0) {
              acknowledged = flush(stream, targets, batchTransactions, batchCommitLsn, batchEndLsn);
              batchTransactions = 0;
            }
            if (open == null) {
              stream.setFlushedLSN(LogSequenceNumber.valueOf(lsn));
              stream.setAppliedLSN(LogSequenceNumber.valueOf(lsn));
              stream.forceUpdateStatus();
              acknowledged = Math.max(acknowledged, lsn);
            }
            done = true;
          }
        }
      }
    }
    return new SyncResult(
        snapshotRows,
        changeRows,
        transactions,
        skipped,
        LogSequenceNumber.valueOf(acknowledged).asString());
  }

  private static void add(Transaction open, Target target, Row row) {
    open.rows.computeIfAbsent(target, t -> new ArrayList<>()).add(row);
  }

  private void relationChanged(Connection sql, Target target, Relation relation)
      throws SQLException {
    List<PgColumn> columns = new ArrayList<>();
    for (RelationColumn c : relation.columns()) {
      columns.add(PgCatalog.column(sql, c.name(), c.typeOid(), c.typeMod()));
    }
    StructType schema = dataSchema(target.name, columns);
    if (!schema.equals(target.dataSchema)) {
      compatible(target, target.dataSchema.fields(), schema);
      target.columns = columns;
      target.dataSchema = schema;
    }
  }

  /** Commits every table's buffered rows, then acknowledges the batch to Postgres. */
  private long flush(
      PGReplicationStream stream,
      Map<String, Target> targets,
      int transactions,
      long commitLsn,
      long endLsn)
      throws SQLException {
    Map<TableName, Long> written = new LinkedHashMap<>();
    for (Target target : targets.values()) {
      if (!target.batch.isEmpty()) {
        write(target, target.batch, commitLsn, SaveMode.Append);
        written.put(target.history, (long) target.batch.size());
        target.watermark = commitLsn;
        target.batch.clear();
      }
    }
    LogSequenceNumber end = LogSequenceNumber.valueOf(endLsn);
    listener.flushed(written, transactions, end.asString());
    stream.setFlushedLSN(end);
    stream.setAppliedLSN(end);
    stream.forceUpdateStatus();
    return endLsn;
  }

  private void write(Target target, List<Row> rows, long commitLsn, SaveMode mode) {
    try {
      Tables.ensureSchema(spark, target.history);
      Dataset<Row> data = spark.createDataFrame(rows, historySchema(target));
      var writer =
          data.write()
              .format("delta")
              .mode(mode)
              .option(
                  "userMetadata",
                  METADATA_PREFIX
                      + settings.slot()
                      + " lsn="
                      + LogSequenceNumber.valueOf(commitLsn).asString());
      if (mode == SaveMode.Overwrite) {
        writer = writer.option("overwriteSchema", "true");
      } else if (target.evolved) {
        writer = writer.option("mergeSchema", "true");
      }
      writer.saveAsTable(target.history.quoted());
    } catch (RuntimeException e) {
      throw Errors.stepFailed("sync", target.history.toString(), e);
    }
  }

  private Row row(
      Target target,
      String[] values,
      ChangeType type,
      long lsn,
      int position,
      Begin begin,
      Timestamp snapshotTime) {
    StructField[] fields = target.dataSchema.fields();
    Object[] out = new Object[fields.length + settings.shape().metadataColumns().size()];
    for (int i = 0; i < fields.length; i++) {
      out[i] = i < values.length ? PgTypes.parse(values[i], fields[i].dataType()) : null;
    }
    Timestamp commitTime = begin == null ? snapshotTime : begin.commitTime();
    int m = fields.length;
    out[m] = type.value();
    out[m + 1] = lsn;
    if (settings.shape() == MetadataShape.COOKBOOK) {
      out[m + 2] = commitTime;
    } else {
      out[m + 2] = begin == null ? null : begin.xid();
      out[m + 3] = commitTime;
      out[m + 4] = lsn * 4 + position;
    }
    return RowFactory.create(out);
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PostgresErrors.syncInterrupted();
    }
  }
}
