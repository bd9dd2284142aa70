/** `wasmlearn demo`: serves the browser demo on localhost until stopped. */
import { Command, InvalidArgumentError } from "commander";
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

/**
 * A host to listen on. Empty strings, "0" and other shorthands that Node
 * would quietly take as "every interface" are refused: listening on every
 * interface must be asked for by name (0.0.0.0 or ::).
 */
export function hostOption(value: string): string {
  const host = value.trim();
  const ipv4 = /^(\d{1,3})(\.\d{1,3}){3}$/.test(host);
  const ipv6 = /^\[?[0-9a-f:.]+\]?$/i.test(host) && host.includes(":");
  const name = /^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(host);
  if (!ipv4 && !ipv6 && !name) {
    throw new InvalidArgumentError(
      `must be an IP address or a host name, got "${value}"`,
    );
  }
  return host.replace(/^\[(.*)\]$/, "$1");
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
    .option(
      "--host <address>",
      "interface to listen on: an IP address or a host name",
      hostOption,
      "127.0.0.1",
    )
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
