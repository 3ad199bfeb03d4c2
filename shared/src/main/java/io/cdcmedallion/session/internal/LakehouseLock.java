package io.cdcmedallion.session.internal;

import io.cdcmedallion.errors.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a local lakehouse to one process at a time. Neither the Derby metastore nor Delta's
 * local-file log store is safe for writers in two processes, so the first process to open a
 * lakehouse holds an OS file lock on {@code DIR/.medallion.lock} until it exits, and any other gets
 * a clear error instead of a corrupted table. Sessions inside the holding process share the lock.
 */
public final class LakehouseLock {
  private static final Map<Path, FileLock> HELD = new HashMap<>();

  private LakehouseLock() {}

  /** Takes the lock on {@code directory}, or throws when another process holds it. */
  public static synchronized void acquire(Path directory) {
    Path file = directory.resolve(".medallion.lock");
    FileLock held = HELD.get(file);
    if (held != null && held.isValid()) {
      return;
    }
    try {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // Locked through another channel of this same process, i.e. not by a session of ours.
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw Errors.lakehouseInUse(directory.toString());
      }
      // Held until the process exits; the OS releases it then, even after a crash.
      HELD.put(file, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock lakehouse directory " + directory, e);
    }
  }
}
