/**
 * The browser demo's server (Node only): the package root, so that
 * examples/browser/ can import dist/browser.js, fetch build/release.wasm
 * and the shipped data/ files by relative URLs, but only those
 * ({@link DEMO_FILES}). Loopback only unless a host is given.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic, type StaticServer } from "./static.js";

/**
 * The package root: this module sits two folders below it, as
 * src/server/demo.ts and as dist/server/demo.js.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The page's path below the root, ending in a slash. */
export const DEMO_PATH = "examples/browser/";

/**
 * All the page needs, and all the demo serves: the page, the browser
 * entry and its modules, the two Wasm builds and the shipped data. Not
 * the sources, not node_modules, not .git.
 */
export const DEMO_FILES: readonly string[] = [
  DEMO_PATH,
  "dist/",
  "build/release.wasm",
  "build/release-scalar.wasm",
  "data/",
  "package.json",
];

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** 0 (the default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** the directory served as `/`; default the package root */
  root?: string;
}

/** A running demo server. */
export interface DemoServer extends StaticServer {
  /** the demo page's URL */
  pageUrl: string;
  /** the directory served */
  root: string;
}

/** Thrown when the port is taken or the host cannot be bound. */
export class ListenError extends Error {
  override name = "ListenError";
}

/**
 * Starts serving the demo; resolves once it listens.
 * @throws ListenError naming the host and port when they are in use or
 *   not available; Error when the page is missing from `root`
 */
export async function startDemo(
  options: DemoOptions = {},
): Promise<DemoServer> {
  const { port = 0, host = "127.0.0.1", root = PACKAGE_ROOT } = options;
  const page = join(root, DEMO_PATH, "index.html");
  if (!existsSync(page)) throw new Error(`the demo page ${page} is missing`);
  let server: StaticServer;
  try {
    server = await serveStatic({ root, port, host, allow: DEMO_FILES });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") {
      throw new ListenError(
        `port ${port} on ${host} is already in use: ` +
          "choose another with --port (0 picks a free one)",
      );
    }
    if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND") {
      throw new ListenError(`host ${host} is not an address of this machine`);
    }
    if (e.code === "EACCES") {
      throw new ListenError(
        `port ${port} on ${host} needs more privileges: choose one above 1023`,
      );
    }
    throw err;
  }
  return { ...server, root, pageUrl: server.url + DEMO_PATH };
}
