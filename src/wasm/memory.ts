/**
 * Wasm memory for one kernel call or one fit: allocation with size checks,
 * copying in and out, and freeing everything at the end.
 *
 * Any allocation may grow the memory, which detaches every typed-array view
 * made before it. Views are therefore never kept: `f64(ptr, n)` builds one
 * from the current `memory.buffer` at the moment it is needed.
 */
import { resetWasm, wasm } from "./load.js";
import type { WasmExports } from "./exports.js";

/** wasm32 addresses at most 4 GiB (65,536 pages of 64 KiB). */
export const MAX_MEMORY_BYTES = 65536 * 65536;
/** The allocator (TLSF) serves one block of less than 1 GiB. */
export const MAX_BLOCK_BYTES = 2 ** 30 - 64;

/** Thrown when a kernel would need more Wasm memory than can exist. */
export class WasmMemoryError extends RangeError {
  override name = "WasmMemoryError";
}

/**
 * A set of allocations freed together. Create one per fit or per call,
 * and call `free()` in a `finally`.
 */
export class WasmArena {
  readonly exports: WasmExports;
  private readonly ptrs: number[] = [];

  constructor() {
    this.exports = wasm();
  }

  /**
   * Allocates `byteLength` bytes. Checked first so that a request that
   * cannot fit fails with a clear error instead of a trap inside Wasm.
   * @param what names the buffer in the error message
   */
  alloc(byteLength: number, what = "buffer"): number {
    if (!(byteLength >= 0)) {
      throw new RangeError(
        `${what} byte length must be >= 0, got ${byteLength}`,
      );
    }
    if (byteLength > MAX_BLOCK_BYTES) {
      throw new WasmMemoryError(
        `${what} needs ${formatBytes(byteLength)} of wasm memory, but one ` +
          `block is limited to 1 GiB: use smaller inputs`,
      );
    }
    // Whether the rest fits is known only by trying: memory never shrinks,
    // so its current size says nothing about what is free. A failed grow
    // traps inside the allocator; that is caught below.
    let ptr: number;
    try {
      ptr = this.exports.alloc(Math.max(byteLength, 8)) >>> 0;
    } catch (err) {
      this.ptrs.length = 0; // the old instance and its pointers are gone
      resetWasm();
      throw new WasmMemoryError(
        `cannot allocate ${formatBytes(byteLength)} of wasm memory for ` +
          `${what}: ${(err as Error).message}`,
      );
    }
    this.ptrs.push(ptr);
    return ptr;
  }

  /** Allocates room for `n` f64 values. */
  allocF64(n: number, what?: string): number {
    return this.alloc(n * 8, what);
  }

  /** Allocates and fills with a copy of `src`; returns the pointer. */
  copyIn(src: ArrayLike<number>, what?: string): number {
    const ptr = this.allocF64(src.length, what);
    this.f64(ptr, src.length).set(src);
    return ptr;
  }

  /** A fresh view of `n` f64 values at `ptr` (valid until the next allocation). */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, n);
  }

  /** A fresh view of `n` u32 values at `ptr`. */
  u32(ptr: number, n: number): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer, ptr, n);
  }

  /** Copies `n` f64 values at `ptr` into a new array. */
  copyOutF64(ptr: number, n: number, dst = new Float64Array(n)): Float64Array {
    dst.set(this.f64(ptr, n));
    return dst;
  }

  /** Frees every allocation of this arena; safe to call twice. */
  free(): void {
    if (this.ptrs.length === 0) return;
    const live = wasm();
    if (live === this.exports) for (const p of this.ptrs) live.free(p);
    this.ptrs.length = 0;
  }
}

/**
 * Runs `body` with a fresh arena and frees it afterwards, whatever happens.
 * A trap inside Wasm leaves the instance unusable; it is replaced and the
 * error rethrown with the kernel's name.
 */
export function withArena<T>(what: string, body: (arena: WasmArena) => T): T {
  const arena = new WasmArena();
  try {
    return body(arena);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      resetWasm();
      throw new Error(`wasm kernel ${what} trapped: ${err.message}`);
    }
    throw err;
  } finally {
    arena.free();
  }
}

/** "1.5 MiB"-style sizes for messages. */
export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}
