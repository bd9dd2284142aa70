import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";

/** Runs the CLI in-process at width 80 without colour; collects both streams. */
export async function runCli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    columns: 80,
    color: false,
    stderrIsTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
