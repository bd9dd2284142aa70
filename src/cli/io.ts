/**
 * How CLI commands reach the outside world: writers for stdout and stderr,
 * the terminal width and whether colour is allowed. The entry point gets
 * these injected, so tests run commands in-process and read what they wrote.
 */
import type { Command } from "commander";

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
    columns: terminalColumns(out),
    color: Boolean(out.isTTY) && !noColor,
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** Charts are never drawn narrower than this, however narrow the terminal. */
export const MIN_COLUMNS = 40;

/**
 * The width charts are drawn at: the terminal's, at least
 * {@link MIN_COLUMNS} (a very narrow terminal wraps the lines rather than
 * losing the results); 80 when the output is not a terminal.
 */
export function terminalColumns(out: {
  isTTY?: boolean;
  columns?: number;
}): number {
  if (!out.isTTY || !out.columns) return 80;
  return Math.max(MIN_COLUMNS, out.columns);
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

/**
 * Makes a command (or subcommand) throw instead of exiting and write its
 * help and errors through `io`, as main() expects of every command.
 */
export function wireCommand(cmd: Command, io: CliIO): Command {
  return cmd.exitOverride().configureOutput({
    writeOut: (s) => io.stdout(s),
    writeErr: (s) => io.stderr(s),
  });
}
