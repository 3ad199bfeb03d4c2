package io.cdcmedallion.postgres.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder of the pgoutput logical replication protocol, version 1: Relation, Begin, Commit, Insert,
 * Update (with the old tuple), Delete, Truncate and logical decoding messages. Column values stay
 * in Postgres text form; {@link #UNCHANGED} marks an unchanged TOAST value.
 */
public final class PgOutput {
  /** Marks a TOASTed value that an update did not change (pgoutput sends no value for it). */
  public static final String UNCHANGED = new String("<unchanged toast>");

  private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

  private PgOutput() {}

  /** A decoded message. */
  public sealed interface Message
      permits Relation, Begin, Commit, Insert, Update, Delete, Truncate, LogicalMessage, Other {}

  /** One column of a Relation message. */
  public record RelationColumn(String name, int typeOid, int typeMod, boolean key) {}

  /** Describes a table before its first change (and again after its schema changes). */
  public record Relation(int oid, String schema, String name, List<RelationColumn> columns)
      implements Message {}

  /** Start of a transaction: its commit LSN, commit time and transaction id. */
  public record Begin(long finalLsn, Timestamp commitTime, long xid) implements Message {}

  /** End of a transaction. */
  public record Commit(long commitLsn, long endLsn, Timestamp commitTime) implements Message {}

  /** A new row. */
  public record Insert(int relation, String[] row) implements Message {}

  /**
   * A changed row; {@code oldKind} is {@code 'O'} (whole old row, replica identity FULL), {@code
   * 'K'} (key columns only) or {@code 0} (no old row sent).
   */
  public record Update(int relation, char oldKind, String[] oldRow, String[] newRow)
      implements Message {}

  /** A deleted row; {@code oldKind} as for {@link Update}. */
  public record Delete(int relation, char oldKind, String[] oldRow) implements Message {}

  /** TRUNCATE of one or more tables. */
  public record Truncate(List<Integer> relations) implements Message {}

  /** A message written with {@code pg_logical_emit_message}. */
  public record LogicalMessage(String prefix, String content) implements Message {}

  /** A message this decoder does not need (Type, Origin). */
  public record Other(char type) implements Message {}

  /** Decodes one message. */
  public static Message decode(ByteBuffer buffer) {
    char type = (char) buffer.get();
    return switch (type) {
      case 'R' -> relation(buffer);
      case 'B' ->
          new Begin(buffer.getLong(), timestamp(buffer.getLong()), buffer.getInt() & 0xffffffffL);
      case 'C' -> {
        buffer.get();
        yield new Commit(buffer.getLong(), buffer.getLong(), timestamp(buffer.getLong()));
      }
      case 'I' -> {
        int relation = buffer.getInt();
        buffer.get(); // 'N'
        yield new Insert(relation, tuple(buffer));
      }
      case 'U' -> {
        int relation = buffer.getInt();
        char kind = (char) buffer.get();
        String[] old = null;
        if (kind == 'K' || kind == 'O') {
          old = tuple(buffer);
          buffer.get(); // 'N'
        } else {
          kind = 0;
        }
        yield new Update(relation, kind, old, tuple(buffer));
      }
      case 'D' -> {
        int relation = buffer.getInt();
        char kind = (char) buffer.get();
        yield new Delete(relation, kind, tuple(buffer));
      }
      case 'T' -> {
        int count = buffer.getInt();
        buffer.get(); // options: CASCADE, RESTART IDENTITY
        List<Integer> relations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          relations.add(buffer.getInt());
        }
        yield new Truncate(relations);
      }
      case 'M' -> {
        buffer.get(); // flags: transactional
        buffer.getLong();
        String prefix = string(buffer);
        byte[] content = new byte[buffer.getInt()];
        buffer.get(content);
        yield new LogicalMessage(prefix, new String(content, StandardCharsets.UTF_8));
      }
      default -> new Other(type);
    };
  }

  private static Relation relation(ByteBuffer buffer) {
    int oid = buffer.getInt();
    String schema = string(buffer);
    String name = string(buffer);
    buffer.get(); // replica identity setting
    int count = buffer.getShort();
    List<RelationColumn> columns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean key = (buffer.get() & 1) != 0;
      columns.add(new RelationColumn(string(buffer), buffer.getInt(), buffer.getInt(), key));
    }
    return new Relation(oid, schema, name, columns);
  }

  private static String[] tuple(ByteBuffer buffer) {
    int count = buffer.getShort();
    String[] values = new String[count];
    for (int i = 0; i < count; i++) {
      char kind = (char) buffer.get();
      switch (kind) {
        case 'n' -> values[i] = null;
        case 'u' -> values[i] = UNCHANGED;
        case 't', 'b' -> {
          byte[] bytes = new byte[buffer.getInt()];
          buffer.get(bytes);
          values[i] = new String(bytes, StandardCharsets.UTF_8);
        }
        default -> throw new IllegalStateException("unknown pgoutput tuple value kind " + kind);
      }
    }
    return values;
  }

  private static String string(ByteBuffer buffer) {
    int start = buffer.position();
    int end = start;
    while (buffer.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - start];
    buffer.get(bytes);
    buffer.get(); // terminator
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Timestamp timestamp(long microsSince2000) {
    Instant instant =
        Instant.ofEpochSecond(
            POSTGRES_EPOCH_SECONDS + Math.floorDiv(microsSince2000, 1_000_000L),
            Math.floorMod(microsSince2000, 1_000_000L) * 1_000L);
    return Timestamp.from(instant);
  }
}
