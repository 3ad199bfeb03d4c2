package io.cdcmedallion.errors;

/**
 * The one family of user-facing errors. Every message says what went wrong, why, and how to fix it,
 * on one line. Instances are created only through the error factories: {@link Errors} for the
 * library, and one factory per sibling module (the Postgres source's, the sample generator's).
 * Secrets in the message (a JDBC URL's password, say, quoted from a driver's error) are masked here
 * ({@link Secrets}), once for every factory.
 */
public class MedallionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of mistake this is; the CLI maps it to an exit code. */
  public enum Kind {
    /** The pipeline config file is missing or invalid. */
    CONFIG,
    /** Command-line arguments or other user input are invalid. */
    USAGE,
    /** A bronze table breaks the CDC history contract. */
    CONTRACT,
    /** A table the step needs does not exist or has the wrong columns. */
    TABLE,
    /** Spark or Delta failed while running a step. */
    EXECUTION
  }

  private final Kind kind;

  /** For the error factories only; call sites use a factory method, which owns the wording. */
  public MedallionException(Kind kind, String message, Throwable cause) {
    super(Secrets.mask(message), cause);
    this.kind = kind;
  }

  /** The kind of mistake, for exit codes and tests. */
  public Kind kind() {
    return kind;
  }
}
