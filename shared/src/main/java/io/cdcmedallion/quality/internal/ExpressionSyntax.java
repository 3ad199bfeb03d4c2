package io.cdcmedallion.quality.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Checks the syntax of a Spark SQL expression with Spark's own grammar, without a session: the
 * config can be validated before Spark starts. Whether its columns exist is checked later, against
 * the table (see {@code Expectations.requireResolvable}).
 *
 * <p>The grammar needs Spark's ANTLR runtime, which the classic build has and the Databricks
 * Connect build has only relocated; there {@code AntlrExpressionSyntax} is not compiled (so it is
 * named here as a string) and the syntax is checked with the columns, by Spark.
 */
public final class ExpressionSyntax {
  private static final Optional<MethodHandle> GRAMMAR = grammar("firstError");
  private static final Optional<MethodHandle> STATEMENT_GRAMMAR = grammar("firstStatementError");

  private ExpressionSyntax() {}

  /**
   * The first syntax error of {@code expression}, or empty when it parses as one expression (or
   * when this build cannot check syntax without Spark).
   */
  @SuppressWarnings("unchecked")
  public static Optional<String> firstError(String expression) {
    if (GRAMMAR.isEmpty()) {
      return Optional.empty();
    }
    try {
      return (Optional<String>) GRAMMAR.get().invoke(expression);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The first syntax error of {@code statement} as {@code "line L, column C: message"}, positions
   * 1-based in {@code statement}'s own text (so a whole file's text gives the file's line and
   * column), or empty when it parses as one SQL statement (or this build cannot check syntax).
   */
  @SuppressWarnings("unchecked")
  public static Optional<String> firstStatementError(String statement) {
    if (STATEMENT_GRAMMAR.isEmpty()) {
      return Optional.empty();
    }
    try {
      return (Optional<String>) STATEMENT_GRAMMAR.get().invoke(statement);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<MethodHandle> grammar(String method) {
    try {
      Class<?> antlr =
          Class.forName(
              ExpressionSyntax.class.getPackageName() + ".AntlrExpressionSyntax",
              true,
              ExpressionSyntax.class.getClassLoader());
      return Optional.of(
          MethodHandles.privateLookupIn(antlr, MethodHandles.lookup())
              .findStatic(antlr, method, MethodType.methodType(Optional.class, String.class)));
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      return Optional.empty();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
