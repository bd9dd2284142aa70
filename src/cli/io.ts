/**
 * How CLI commands reach the outside world: writers for stdout and stderr,
 * the terminal width and whether colour is allowed. The entry point gets
 * these injected, so tests run commands in-process and read what they wrote.
 */

/** Output channels and terminal facts for one CLI run. */
export interface CliIO {
  /** results: tables, charts, JSON */
  stdout(text: string): void;
  /** progress, warnings, errors */
  stderr(text: string): void;
  /** terminal columns for charts; 80 when not a terminal */
  columns: number;
  /** whether ANSI colour may be used on stdout */
  color: boolean;
  /** whether stderr is a terminal (progress lines may be overwritten) */
  stderrIsTTY: boolean;
}

/** The process's real streams, with width and colour from the environment. */
export function processIO(): CliIO {
  const out = process.stdout;
  // A reader that stops early (`wasmlearn fusion --help | head -1`) closes
  // the pipe; what is left unwritten is not wanted, so end quietly.
  for (const stream of [out, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const noColor =
    process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";
  return {
    stdout: (text) => void out.write(text),
    stderr: (text) => void process.stderr.write(text),
    columns: out.isTTY && out.columns ? out.columns : 80,
    color: Boolean(out.isTTY) && !noColor,
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** Thrown for a mistake in the command line or the user's files (exit 1). */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * A progress reporter on stderr: with `verbose`, one line per message;
 * otherwise on a terminal a single status line that is rewritten and
 * cleared at the end; otherwise nothing.
 */
export function progress(io: CliIO, verbose: boolean) {
  let shown = false;
  return {
    report(message: string): void {
      if (verbose) io.stderr(`${message}\n`);
      else if (io.stderrIsTTY) {
        io.stderr(`\r${message.slice(0, io.columns - 1)}\x1b[K`);
        shown = true;
      }
    },
    done(): void {
      if (shown) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}
