/** `wasmlearn demo`: serves the browser demo on localhost until stopped. */
import { Command } from "commander";
import { ListenError, startDemo } from "../server/demo.js";
import { UsageError, type CliIO } from "./io.js";
import { intOption } from "./parse.js";

interface DemoFlags {
  port: number;
  host: string;
  json: boolean;
}

const EXAMPLES = `
Examples:
  $ wasmlearn demo                  serve on 127.0.0.1, a free port
  $ wasmlearn demo --port 8080
  $ wasmlearn demo --port 0 --json  print {url, port, root} as JSON
`;

/**
 * Resolves on the first SIGINT or SIGTERM; the default `stop` of
 * {@link demoCommand}.
 */
export function untilSignal(): Promise<string> {
  return new Promise((done) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      done(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** Whether a host name or address is this machine's loopback interface. */
export function isLoopback(host: string): boolean {
  return /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i.test(host);
}

/**
 * Defines the command on `program`; `io` receives all output. The server
 * runs until `stop` resolves (by default, until SIGINT or SIGTERM).
 */
export function demoCommand(
  io: CliIO,
  setExit: (code: number) => void,
  stop: () => Promise<unknown> = untilSignal,
): Command {
  return new Command("demo")
    .description(
      "serve the browser demo (fusion, diffusion, benchmark) on localhost",
    )
    .option(
      "--port <n>",
      "port to listen on (0 picks a free one)",
      intOption(0, 65_535),
      0,
    )
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option("--json", "print {url, port, root} as JSON", false)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: DemoFlags) => {
      let server;
      try {
        server = await startDemo({ port: flags.port, host: flags.host });
      } catch (err) {
        if (err instanceof ListenError) throw new UsageError(err.message);
        throw err;
      }
      const stopped = stop();
      if (!isLoopback(flags.host)) {
        io.stderr(
          `warning: listening on ${flags.host}, ` +
            "so other machines may reach the demo\n",
        );
      }
      if (flags.json) {
        const { pageUrl: url, port, root } = server;
        io.stdout(JSON.stringify({ url, port, root }) + "\n");
      } else {
        io.stdout(server.pageUrl + "\n");
        io.stderr("serving the wasmlearn demo; press Ctrl+C to stop\n");
      }
      await stopped;
      await server.close();
      setExit(0);
    });
}
