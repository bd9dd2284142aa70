/**
 * The `wasmlearn` program. `main(argv, io)` runs one command with injected
 * output and returns the exit code: 0 success, 1 a user error (bad option,
 * bad data), 2 an internal failure.
 */
import { Command, CommanderError } from "commander";
import { DataError, FederationError } from "../errors.js";
import { WasmMemoryError } from "../wasm/memory.js";
import { fusionCommand } from "./fusion.js";
import { benchCommand } from "./bench.js";
import { diffusionCommand } from "./diffusion.js";
import { overviewCommand } from "./overview.js";
import { federatedCommand } from "./federated.js";
import { demoCommand } from "./demo.js";
import { automlCommand } from "./automl.js";
import { processIO, UsageError, wireCommand, type CliIO } from "./io.js";

const VERSION = "0.1.0";

/**
 * Whether an error is the user's (exit 1, one line) or a bug (exit 2 with
 * a stack). wasmlearn's own checks throw DataError, UsageError,
 * FederationError and WasmMemoryError, or a TypeError/RangeError whose
 * message follows the "<name> must be <constraint>, got <value>"
 * convention; V8's and Node's own TypeErrors and RangeErrors ("Cannot read
 * properties of undefined", "Invalid array length", errors with an ERR_
 * code) do not, and are bugs.
 */
export function isUserError(err: unknown): boolean {
  if (err instanceof UsageError || err instanceof DataError) return true;
  if (err instanceof FederationError || err instanceof WasmMemoryError)
    return true;
  if (err instanceof RangeError || err instanceof TypeError) {
    if ((err as NodeJS.ErrnoException).code) return false;
    return (
      /\bmust\b|\bgot\b/.test(err.message) &&
      !/^to(Fixed|Precision)\(\)/.test(err.message)
    );
  }
  return false;
}

/** Runs the program on `argv` (without node and script); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: CliIO = processIO(),
): Promise<number> {
  // --no-color is understood by every command, wherever it stands
  // (before a "--" that ends the options)
  const end = argv.indexOf("--");
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.includes("--no-color")) {
    io = { ...io, color: false };
    argv = [
      ...options.filter((a) => a !== "--no-color"),
      ...(end < 0 ? [] : argv.slice(end)),
    ];
  }
  let exitCode = 0;
  const setExit = (code: number) => (exitCode = code);
  const program = new Command("wasmlearn")
    .description(
      "machine learning with a WebAssembly core: multimodal fusion, logistic regression, benchmarks",
    )
    .version(VERSION)
    .addHelpText(
      "after",
      "\nColour: charts use ANSI colours on a terminal only; --no-color (any\n" +
        "command) or the NO_COLOR environment variable turns them off.\n",
    )
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
    demoCommand(io, setExit),
    automlCommand(io, setExit),
  ];
  for (const cmd of commands) program.addCommand(wireCommand(cmd, io));

  try {
    await program.parseAsync(argv as string[], { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message
      return err.exitCode === 0 ? 0 : 1;
    }
    // one line: messages quoting parsers (JSON.parse) may hold newlines
    const message = (err instanceof Error ? err.message : String(err)).replace(
      /\s*\n\s*/g,
      " ",
    );
    if (isUserError(err)) {
      io.stderr(`error: ${message}\n`);
      return 1;
    }
    io.stderr(`internal error: ${message}\n`);
    if (err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
}
