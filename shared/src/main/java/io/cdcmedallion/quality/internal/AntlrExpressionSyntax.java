package io.cdcmedallion.quality.internal;

import java.util.Optional;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.apache.spark.sql.catalyst.parser.SqlBaseLexer;
import org.apache.spark.sql.catalyst.parser.SqlBaseParser;
import org.apache.spark.sql.catalyst.parser.UpperCaseCharStream;

/**
 * {@link ExpressionSyntax} with Spark's own ANTLR grammar. Left out of the {@code dbconnect} build:
 * Databricks Connect ships the grammar against a relocated ANTLR runtime.
 */
final class AntlrExpressionSyntax {
  private AntlrExpressionSyntax() {}

  /** The first syntax error of {@code expression}, or empty when it parses as one expression. */
  static Optional<String> firstError(String expression) {
    return parse(expression, false);
  }

  /**
   * The first syntax error of {@code statement} as {@code "line L, column C: message"} (1-based, in
   * {@code statement}'s own text), or empty when it parses as one SQL statement.
   */
  static Optional<String> firstStatementError(String statement) {
    return parse(statement, true);
  }

  private static Optional<String> parse(String text, boolean statement) {
    StringBuilder error = new StringBuilder();
    BaseErrorListener listener =
        new BaseErrorListener() {
          @Override
          public void syntaxError(
              Recognizer<?, ?> recognizer,
              Object offendingSymbol,
              int line,
              int charPositionInLine,
              String msg,
              RecognitionException e) {
            if (error.isEmpty()) {
              // ANTLR lists every token it would have accepted; the offending one is enough.
              String shown = msg.replaceAll(" expecting \\{.*", "");
              if (statement) {
                error
                    .append("line ")
                    .append(line)
                    .append(", column ")
                    .append(charPositionInLine + 1)
                    .append(": ")
                    .append(shown);
              } else {
                error.append(shown).append(" at position ").append(charPositionInLine + 1);
              }
            }
          }
        };
    SqlBaseLexer lexer = new SqlBaseLexer(new UpperCaseCharStream(CharStreams.fromString(text)));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    SqlBaseParser parser = new SqlBaseParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    if (statement) {
      parser.singleStatement();
    } else {
      parser.singleExpression();
    }
    return error.isEmpty() ? Optional.empty() : Optional.of(error.toString());
  }
}
