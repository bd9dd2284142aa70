/**
 * Loading the Wasm core in Node and in browsers.
 *
 * The module is compiled once and instantiated once per thread. In Node the
 * first kernel call loads it synchronously from `build/release.wasm` if
 * `ready()` was not awaited; in a browser `await ready()` must come first.
 */
import type { WasmExports } from "./exports.js";

/** Where the module comes from: a URL, raw bytes or a compiled module. */
export type WasmSource = string | URL | BufferSource | WebAssembly.Module;

const DEFAULT_URL = new URL("../../build/release.wasm", import.meta.url);

let instance: WasmExports | null = null;
let compiled: WebAssembly.Module | null = null;
let loading: Promise<WasmExports> | null = null;

/** Thrown when the Wasm module cannot be fetched, compiled or instantiated. */
export class WasmLoadError extends Error {
  override name = "WasmLoadError";
}

function isNode(): boolean {
  return (
    typeof process !== "undefined" &&
    typeof process.versions === "object" &&
    typeof process.versions.node === "string"
  );
}

/** Reads an AssemblyScript string (UTF-16, byte length at ptr - 4). */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  const units = new Uint16Array(memory.buffer, ptr, bytes >>> 1);
  return String.fromCharCode(...units);
}

function imports(memoryRef: { memory?: WebAssembly.Memory }) {
  return {
    env: {
      abort(msg: number, file: number, line: number, column: number) {
        const mem = memoryRef.memory;
        const text = mem ? readString(mem, msg) : "abort";
        const where = mem ? readString(mem, file) : "";
        throw new Error(`wasm abort: ${text} at ${where}:${line}:${column}`);
      },
      "Math.log": Math.log,
    },
  };
}

function instantiateSync(module: WebAssembly.Module): WasmExports {
  const ref: { memory?: WebAssembly.Memory } = {};
  const inst = new WebAssembly.Instance(module, imports(ref));
  const exports = inst.exports as unknown as WasmExports;
  ref.memory = exports.memory;
  return exports;
}

/**
 * Compiles the module from a URL, bytes or an already compiled module. A
 * URL is fetched (in Node, a file: URL is read from disk); when the server
 * sends `application/wasm` it is compiled while streaming, otherwise (or
 * if streaming fails) from the downloaded bytes.
 * @throws WasmLoadError naming the URL and HTTP status when fetching fails
 */
export async function compileWasm(
  source: WasmSource,
): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source !== "string" && !(source instanceof URL)) {
    return WebAssembly.compile(source);
  }
  const url = new URL(String(source), DEFAULT_URL);
  if (url.protocol === "file:" && isNode()) {
    const fs = await import("node:fs/promises");
    return WebAssembly.compile(await fs.readFile(url));
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new WasmLoadError(
      `cannot load wasm from ${url.href}: ${(err as Error).message}`,
    );
  }
  if (!response.ok) {
    throw new WasmLoadError(
      `cannot load wasm from ${url.href}: HTTP ${response.status}`,
    );
  }
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("application/wasm")) {
    try {
      return await WebAssembly.compileStreaming(response.clone());
    } catch {
      // fall through to compiling from bytes
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Loads and instantiates the Wasm core. Idempotent: later calls return the
 * same instance. Must be awaited before any model is used in a browser.
 *
 * @param source where to load from; default `build/release.wasm` next to
 *   the package, resolved with `import.meta.url`
 * @throws WasmLoadError when fetching or compiling fails
 */
export async function ready(source?: WasmSource): Promise<void> {
  if (instance) return;
  loading ??= (async () => {
    try {
      compiled = await compileWasm(source ?? DEFAULT_URL);
      instance = instantiateSync(compiled);
      return instance;
    } catch (err) {
      loading = null;
      if (err instanceof WasmLoadError) throw err;
      throw new WasmLoadError(`cannot load wasm: ${(err as Error).message}`);
    }
  })();
  await loading;
}

function loadSyncInNode(): WasmExports {
  const getBuiltin = (
    process as unknown as { getBuiltinModule?: (id: string) => unknown }
  ).getBuiltinModule;
  if (typeof getBuiltin !== "function") {
    throw new WasmLoadError("the wasm core is not loaded: await ready() first");
  }
  const fs = getBuiltin("node:fs") as typeof import("node:fs");
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(fs.readFileSync(DEFAULT_URL));
  } catch {
    throw new WasmLoadError(
      `cannot read ${DEFAULT_URL.pathname}: build the wasm with npm run asbuild`,
    );
  }
  compiled = new WebAssembly.Module(bytes);
  return instantiateSync(compiled);
}

/** The live instance's exports; loads synchronously in Node if needed. */
export function wasm(): WasmExports {
  if (instance) return instance;
  if (!isNode()) {
    throw new WasmLoadError("the wasm core is not loaded: await ready() first");
  }
  instance = loadSyncInNode();
  return instance;
}

/** The compiled module (for handing to workers), loading it if needed. */
export function wasmModule(): WebAssembly.Module {
  wasm();
  return compiled as WebAssembly.Module;
}

/**
 * Replaces the instance with a fresh one from the same compiled module.
 * Used after a trap, which leaves an instance unusable; every pointer into
 * the old memory becomes invalid.
 */
export function resetWasm(): void {
  if (compiled) instance = instantiateSync(compiled);
  else instance = null;
}
