/**
 * A small static file server for the package's own files (Node only): it
 * serves the browser demo (`wasmlearn demo`) and the pages the browser
 * tests load. It listens on 127.0.0.1 unless told otherwise, answers GET
 * and HEAD only, never lists directories and never leaves its root: a
 * path is resolved with its symbolic links before serving, and must stay
 * below the root's own real path. An allowlist narrows what is served
 * further (the demo serves only what its page needs, never .git or
 * node_modules).
 */
import { createReadStream, realpathSync, statSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { extname, resolve, sep } from "node:path";

/** MIME types by extension; `.wasm` must be application/wasm for streaming. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".gz": "application/gzip",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};

/**
 * A hook that may answer a request itself (a test serving a 404 or a
 * wrong MIME type, say): return true when it has sent the response.
 */
export type RequestHook = (
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
) => boolean;

export interface StaticServerOptions {
  /** The directory served as `/`. */
  root: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Extra response headers on every file (e.g. cross-origin isolation). */
  headers?: Readonly<Record<string, string>>;
  /** Consulted before the file system. */
  hook?: RequestHook;
  /**
   * Paths below the root that may be served, e.g. ["dist/", "data/",
   * "index.html"]: a prefix ending in "/" allows a directory, anything
   * else one file. Absent: everything below the root.
   */
  allow?: readonly string[];
}

export interface StaticServer {
  server: Server;
  /** Base URL, ending in a slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The file under `root` a URL path names, or null if it escapes `root`. */
export function resolveInRoot(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const base = resolve(root);
  const file = resolve(base, "." + decoded);
  return inside(base, file) ? file : null;
}

function inside(base: string, file: string): boolean {
  return file === base || file.startsWith(base + sep);
}

/**
 * The real path of an existing `file` when it, with every symbolic link
 * resolved, is still below the real root; otherwise null.
 */
function realInRoot(realRoot: string, file: string): string | null {
  try {
    const real = realpathSync(file);
    return inside(realRoot, real) ? real : null;
  } catch {
    return null;
  }
}

/** Whether `relative` (below the root, "/"-separated) is allowed. */
function allowed(allow: readonly string[] | undefined, relative: string) {
  if (!allow) return true;
  return allow.some((a) =>
    a.endsWith("/")
      ? relative.startsWith(a) || relative + "/" === a
      : relative === a,
  );
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}

function handle(
  options: StaticServerOptions,
  realRoot: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  if (options.hook?.(req, res, pathname)) return;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return send(res, 405, "method not allowed\n");
  }
  const named = resolveInRoot(options.root, pathname);
  if (named === null) return send(res, 403, "forbidden\n");
  const notFound = () => send(res, 404, `not found: ${pathname}\n`);

  // symbolic links resolved, still below the root; then the allowlist
  let file = realInRoot(realRoot, named);
  if (file === null) return notFound();
  let stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    file = realInRoot(realRoot, resolve(file, "index.html"));
    if (file === null) return notFound();
    stat = statSync(file, { throwIfNoEntry: false });
  }
  const relative = file
    .slice(realRoot.length + 1)
    .split(sep)
    .join("/");
  if (!stat?.isFile() || !allowed(options.allow, relative)) return notFound();

  res.writeHead(200, {
    "content-type":
      MIME_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": stat.size,
    "cache-control": "no-store",
    ...options.headers,
  });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

/** Starts serving `options.root`; resolves once it listens. */
export async function serveStatic(
  options: StaticServerOptions,
): Promise<StaticServer> {
  const host = options.host ?? "127.0.0.1";
  const realRoot = realpathSync(resolve(options.root));
  const server = createServer((req, res) => {
    try {
      handle(options, realRoot, req, res);
    } catch {
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.destroy();
    }
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    port,
    url: `http://${shown}:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
