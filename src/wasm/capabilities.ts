/**
 * What the running JavaScript engine offers wasmlearn, and which build of
 * the Wasm core is loaded. Safe in every runtime: nothing here imports a
 * Node built-in at load time.
 */
import { currentBuild, simdSupported, type WasmBuild } from "./load.js";

/** The result of `capabilities()`. */
export interface Capabilities {
  /** The runtime compiles Wasm SIMD (so `release.wasm` can load). */
  simd: boolean;
  /**
   * SharedArrayBuffer and Atomics exist and a shared Wasm memory can be
   * created. Browsers allow it only in cross-origin isolated pages.
   */
  threads: boolean;
  /**
   * The page is cross-origin isolated (COOP `same-origin` and COEP
   * `require-corp` headers); always false outside browsers and workers.
   */
  crossOriginIsolated: boolean;
  /** The loaded build of the Wasm core, or null before it is loaded. */
  build: WasmBuild | null;
  /**
   * Logical cores: `navigator.hardwareConcurrency` in browsers,
   * `os.availableParallelism()` in Node; 1 when neither is known.
   */
  cores: number;
}

function threadsUsable(): boolean {
  if (typeof SharedArrayBuffer !== "function") return false;
  if (typeof Atomics !== "object") return false;
  try {
    const memory = new WebAssembly.Memory({
      initial: 1,
      maximum: 1,
      shared: true,
    } as WebAssembly.MemoryDescriptor);
    return memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

function countCores(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } })
    .navigator;
  if (nav && Number.isInteger(nav.hardwareConcurrency)) {
    return Math.max(1, nav.hardwareConcurrency as number);
  }
  const proc = (globalThis as { process?: unknown }).process as
    { getBuiltinModule?: (id: string) => unknown } | undefined;
  const os = proc?.getBuiltinModule?.("node:os") as
    typeof import("node:os") | undefined;
  return os ? Math.max(1, os.availableParallelism()) : 1;
}

/**
 * What this runtime supports (Wasm SIMD, threads, cross-origin isolation,
 * cores) and which build of the Wasm core is in use. Cheap: validates one
 * 29-byte module and creates one 64 KiB shared memory; loads nothing.
 */
export function capabilities(): Capabilities {
  return {
    simd: simdSupported(),
    threads: threadsUsable(),
    crossOriginIsolated:
      (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ===
      true,
    build: currentBuild(),
    cores: countCores(),
  };
}
