/**
 * The `wasmlearn` program. `main(argv, io)` runs one command with injected
 * output and returns the exit code: 0 success, 1 a user error (bad option,
 * bad data), 2 an internal failure.
 */
import { Command, CommanderError } from "commander";
import { DataError, FederationError } from "../errors.js";
import { fusionCommand } from "./fusion.js";
import { benchCommand } from "./bench.js";
import { diffusionCommand } from "./diffusion.js";
import { overviewCommand } from "./overview.js";
import { federatedCommand } from "./federated.js";
import { processIO, UsageError, type CliIO } from "./io.js";

const VERSION = "0.1.0";

/**
 * Messages V8 itself gives TypeErrors and RangeErrors: those come from a
 * bug in wasmlearn, not from the user's input, whose checks throw the same
 * classes with "<name> must be ..." messages.
 */
const ENGINE_MESSAGE: RegExp =
  /^Cannot (read|set|destructure|convert)|is not (a function|iterable|a constructor|defined)|^Invalid (typed )?array length|^Maximum call stack/;

export function isUserError(err: unknown): boolean {
  if (err instanceof UsageError || err instanceof DataError) return true;
  if (err instanceof FederationError) return true;
  if (err instanceof RangeError || err instanceof TypeError) {
    return !ENGINE_MESSAGE.test(err.message);
  }
  return err instanceof Error && (err as NodeJS.ErrnoException).code === "ENOENT";
}

/** Runs the program on `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => (exitCode = code);
  const program = new Command("wasmlearn")
    .description(
      "machine learning with a WebAssembly core: multimodal fusion, logistic regression, benchmarks",
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    });
  // One entry per command, each defined in its own file.
  const commands = [
    fusionCommand(io, setExit),
    benchCommand(io, setExit),
    diffusionCommand(io, setExit),
    overviewCommand(io, setExit),
    federatedCommand(io, setExit),
  ];
  for (const cmd of commands) {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    });
    program.addCommand(cmd);
  }

  try {
    await program.parseAsync(argv as string[], { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message
      return err.exitCode === 0 ? 0 : 1;
    }
    // one line: messages quoting parsers (JSON.parse) may hold newlines
    const message = (err instanceof Error ? err.message : String(err))
      .replace(/\s*\n\s*/g, " ");
    if (isUserError(err)) {
      io.stderr(`error: ${message}\n`);
      return 1;
    }
    io.stderr(`internal error: ${message}\n`);
    if (err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
}
