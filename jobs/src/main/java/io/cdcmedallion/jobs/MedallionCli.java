package io.cdcmedallion.jobs;

import io.cdcmedallion.errors.MedallionException;
import io.cdcmedallion.errors.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code medallion}: generate sample CDC history, build silver and gold, query the local lakehouse.
 * Exit codes: 0 success, 1 the run failed, 2 bad arguments or config.
 */
@Command(
    name = "medallion",
    mixinStandardHelpOptions = true,
    versionProvider = MedallionCli.Version.class,
    description =
        "Turns Lakebase CDC history tables (lb_<table>_history) into silver and gold Delta tables.",
    subcommands = {
      DemoCommand.class,
      GenerateCommand.class,
      SilverCommand.class,
      GoldCommand.class,
      RunCommand.class,
      QueryCommand.class,
      StatusCommand.class,
      ValidateCommand.class,
      PreflightCommand.class,
      SyncCommand.class,
      PublishCommand.class
    })
public final class MedallionCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs the CLI and returns its exit code, printing to the given streams. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new MedallionCli());
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          boolean verbose =
              parseResult.subcommand() != null
                  && parseResult.subcommand().hasMatchedOption("--verbose");
          return report(e, err, verbose);
        });
    return cli.execute(args);
  }

  /**
   * Prints the one-line error (and with {@code verbose} the trace) with every secret masked: the
   * causes' messages come from Spark and the JDBC driver, which may quote a URL as given.
   */
  static int report(Exception e, PrintStream err, boolean verbose) {
    if (verbose) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      err.print(Secrets.mask(trace.toString()));
    }
    if (e instanceof MedallionException m) {
      err.println("error: " + Secrets.mask(m.getMessage()));
      return switch (m.kind()) {
        case CONFIG, USAGE -> 2;
        default -> 1;
      };
    }
    err.println(
        "error: "
            + Secrets.mask(io.cdcmedallion.errors.Errors.firstLine(e))
            + (verbose ? "" : " (run with --verbose for the full trace)"));
    return 1;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version Maven wrote into {@code version.properties} when it built this jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties build = new Properties();
      try (InputStream in = MedallionCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          build.load(in);
        }
      }
      String version = build.getProperty("version", "");
      // Unfiltered (a build that bypassed Maven's resource filtering): fall back to the manifest.
      if (version.isEmpty() || version.startsWith("${")) {
        version = MedallionCli.class.getPackage().getImplementationVersion();
      }
      return new String[] {"cdc-medallion " + (version == null ? "(unknown version)" : version)};
    }
  }
}
