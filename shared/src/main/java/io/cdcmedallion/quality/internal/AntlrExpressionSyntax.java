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
              error.append(msg).append(" at position ").append(charPositionInLine + 1);
            }
          }
        };
    SqlBaseLexer lexer =
        new SqlBaseLexer(new UpperCaseCharStream(CharStreams.fromString(expression)));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    SqlBaseParser parser = new SqlBaseParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    parser.singleExpression();
    return error.isEmpty() ? Optional.empty() : Optional.of(error.toString());
  }
}
