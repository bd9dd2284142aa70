/**
 * Loading the Wasm core in Node and in browsers.
 *
 * There are two builds of the same kernels: `build/release.wasm` uses
 * Wasm SIMD (f64x2), `build/release-scalar.wasm` does not, for runtimes
 * without SIMD. They give bit-identical results (test/wasm/builds.test.ts);
 * the SIMD one is faster. The loader picks the SIMD build where the runtime
 * validates a SIMD module, unless told otherwise by `ready({ build })` or,
 * in Node, the WASMLEARN_WASM_BUILD environment variable.
 *
 * The module is compiled once and instantiated once per thread. In Node the
 * first kernel call loads it synchronously if `ready()` was not awaited; in
 * a browser `await ready()` must come first.
 */
import type { WasmExports } from "./exports.js";

/** Where the module comes from: a URL, raw bytes or a compiled module. */
export type WasmSource = string | URL | BufferSource | WebAssembly.Module;

/** The two builds of the Wasm core: with Wasm SIMD, or without. */
export type WasmBuild = "simd" | "scalar";

/** The builds `ready({ build })` accepts. */
export const WASM_BUILDS: readonly WasmBuild[] = ["simd", "scalar"];

/** Options of `ready()`. */
export interface ReadyOptions {
  /**
   * Which build to load; default: "simd" where the runtime supports Wasm
   * SIMD, else "scalar" (in Node, WASMLEARN_WASM_BUILD overrides the
   * default). Ignored when `source` is given.
   */
  build?: WasmBuild;
  /** Load from here instead of the package's own `build/` files. */
  source?: WasmSource;
}

// Written out literally, with import.meta.url, so that bundlers (Vite,
// webpack, esbuild with a plugin) find the files and ship them.
const SIMD_URL = new URL("../../build/release.wasm", import.meta.url);
const SCALAR_URL = new URL("../../build/release-scalar.wasm", import.meta.url);

/**
 * The smallest module that needs SIMD: one function returning
 * i8x16.splat(i32.const 0). Runtimes without SIMD reject it.
 */
// prettier-ignore
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: [] -> [v128]
  0x03, 0x02, 0x01, 0x00, // functions: one, of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // code
]);

/** Node's file API, named through a variable so browser bundles leave it out. */
const NODE_FS = "node:fs/promises";

let instance: WasmExports | null = null;
let compiled: WebAssembly.Module | null = null;
let loading: Promise<WasmExports> | null = null;
let loadedBuild: WasmBuild | null = null;

/** Thrown when the Wasm module cannot be fetched, compiled or instantiated. */
export class WasmLoadError extends Error {
  override name = "WasmLoadError";
}

/** Whether this runtime compiles Wasm SIMD (validates a tiny module). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The URL of a build's `.wasm` file inside the package. */
export function wasmUrl(build: WasmBuild): URL {
  return build === "simd" ? SIMD_URL : SCALAR_URL;
}

/** The build now loaded, or null before loading. */
export function currentBuild(): WasmBuild | null {
  return instance ? loadedBuild : null;
}

function checkBuild(build: unknown, name: string): WasmBuild {
  if (build === "simd" || build === "scalar") return build;
  throw new RangeError(
    `${name} must be "simd" or "scalar", got ${JSON.stringify(build)}`,
  );
}

/** WASMLEARN_WASM_BUILD in Node (empty or unset: null); null elsewhere. */
function buildFromEnv(): WasmBuild | null {
  if (!isNode()) return null;
  const value = process.env.WASMLEARN_WASM_BUILD;
  if (value === undefined || value === "") return null;
  return checkBuild(value, "WASMLEARN_WASM_BUILD");
}

/**
 * The build to load: the one asked for, else WASMLEARN_WASM_BUILD (Node),
 * else SIMD where supported.
 * @throws WasmLoadError when SIMD is asked for and the runtime lacks it
 */
export function chooseBuild(build?: WasmBuild): WasmBuild {
  const chosen =
    build ?? buildFromEnv() ?? (simdSupported() ? "simd" : "scalar");
  if (chosen === "simd" && !simdSupported()) {
    throw new WasmLoadError(
      "the simd build was asked for, but this runtime has no Wasm SIMD: " +
        'load the scalar build (ready({ build: "scalar" }))',
    );
  }
  return chosen;
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
    },
  };
}

/**
 * A fresh instance of a compiled module with the imports the core needs
 * (`env.abort`). Each instance has its own memory.
 */
export function instantiateWasm(module: WebAssembly.Module): WasmExports {
  const ref: { memory?: WebAssembly.Memory } = {};
  const inst = new WebAssembly.Instance(module, imports(ref));
  const exports = inst.exports as unknown as WasmExports;
  ref.memory = exports.memory;
  return exports;
}

/** Which build an instance is, as it says itself. */
function buildOf(exports: WasmExports, fallback: WasmBuild): WasmBuild {
  if (typeof exports.buildSimd !== "function") return fallback;
  return exports.buildSimd() === 1 ? "simd" : "scalar";
}

function install(module: WebAssembly.Module, build: WasmBuild): WasmExports {
  const exports = instantiateWasm(module);
  compiled = module;
  instance = exports;
  loadedBuild = buildOf(exports, build);
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
  const url = new URL(String(source), SIMD_URL);
  if (url.protocol === "file:" && isNode()) {
    const fs = (await import(
      /* @vite-ignore */ /* webpackIgnore: true */ NODE_FS
    )) as typeof import("node:fs/promises");
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
  try {
    return await WebAssembly.compile(await response.arrayBuffer());
  } catch (err) {
    // e.g. a dev server's HTML page in place of a missing file
    const got = type ? ` (${type})` : "";
    throw new WasmLoadError(
      `cannot load wasm from ${url.href}: the server answered HTTP ${response.status}${got}, ` +
        `which is not a wasm module: ${(err as Error).message}`,
    );
  }
}

function isOptions(arg: unknown): arg is ReadyOptions {
  return (
    typeof arg === "object" &&
    arg !== null &&
    !(arg instanceof URL) &&
    !(arg instanceof WebAssembly.Module) &&
    !(arg instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(arg)
  );
}

/**
 * Loads and instantiates the Wasm core. Idempotent: later calls return the
 * same instance. Must be awaited before any model is used in a browser.
 *
 * @param options which build to load, or where from; a bare URL, bytes or
 *   compiled module is taken as `{ source }`. Default: `build/release.wasm`
 *   (SIMD) where the runtime supports SIMD, else
 *   `build/release-scalar.wasm`, both resolved with `import.meta.url`.
 * @throws RangeError when `build` is neither "simd" nor "scalar"
 * @throws WasmLoadError when fetching or compiling fails (naming the URL
 *   and the HTTP status), when SIMD is asked for where there is none, or
 *   when another build than the one asked for is already loaded
 */
export async function ready(
  options?: WasmSource | ReadyOptions,
): Promise<void> {
  const { build, source } = isOptions(options)
    ? options
    : { build: undefined, source: options };
  if (build !== undefined) {
    checkBuild(build, "build");
    if (source === undefined) chooseBuild(build); // throws if SIMD is missing
  }
  if (!instance) {
    loading ??= (async () => {
      try {
        if (source !== undefined) {
          return install(await compileWasm(source), "simd");
        }
        const chosen = chooseBuild(build);
        return install(await compileWasm(wasmUrl(chosen)), chosen);
      } catch (err) {
        loading = null;
        if (err instanceof WasmLoadError) throw err;
        throw new WasmLoadError(`cannot load wasm: ${(err as Error).message}`);
      }
    })();
    await loading;
  }
  if (build !== undefined && source === undefined && build !== loadedBuild) {
    throw new WasmLoadError(
      `the ${loadedBuild} build of the wasm core is already loaded, so the ` +
        `${build} build cannot be: ask for it before the first fit`,
    );
  }
}

function loadSyncInNode(): WasmExports {
  const getBuiltin = (
    process as unknown as { getBuiltinModule?: (id: string) => unknown }
  ).getBuiltinModule;
  if (typeof getBuiltin !== "function") {
    throw new WasmLoadError("the wasm core is not loaded: await ready() first");
  }
  const fs = getBuiltin("node:fs") as typeof import("node:fs");
  const build = chooseBuild();
  const url = wasmUrl(build);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(fs.readFileSync(url));
  } catch {
    throw new WasmLoadError(
      `cannot read ${url.pathname}: build the wasm with npm run asbuild`,
    );
  }
  return install(new WebAssembly.Module(bytes), build);
}

/** The live instance's exports; loads synchronously in Node if needed. */
export function wasm(): WasmExports {
  if (instance) return instance;
  if (!isNode()) {
    throw new WasmLoadError("the wasm core is not loaded: await ready() first");
  }
  return loadSyncInNode();
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
  if (compiled) instance = instantiateWasm(compiled);
  else instance = null;
}
