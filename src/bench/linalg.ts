/**
 * Benchmark cases for the dense linear-algebra kernels: matmul and matvec,
 * Wasm (assembly/linalg.ts) against the TS twin (src/kernels/linalg.ts).
 */
import { Rng } from "../kernels/rng.js";
import * as twin from "../kernels/linalg.js";
import { wasmBackend } from "../wasm/backend.js";
import { WasmArena } from "../wasm/memory.js";
import { tsBackend } from "../kernels/backend.js";
import type { BenchCase } from "./harness.js";

/** Options of `linalgCases`. */
export interface LinalgCaseOptions {
  /** Shapes (m, n) of A for matvec. Default 1000 x 1000 and 4000 x 1000. */
  matvecShapes?: readonly (readonly [number, number])[];
  /**
   * Also time the public wrappers (`getBackend(...).matmul`), which copy
   * A and B into Wasm memory and C out, and allocate C on both sides.
   * Default false.
   */
  endToEnd?: boolean;
  /** Seed of the random inputs. Default 1. */
  seed?: number;
}

/** Uniform values in [-1, 1). */
function randomMatrix(rng: Rng, length: number): Float64Array {
  return rng.fillUniform(length).map((v) => 2 * v - 1);
}

/**
 * Kernel-only matmul: `setup` makes the inputs and puts A, B, C and the
 * packing scratch in Wasm memory, so the Wasm side times `exports.matmul`
 * alone; the TS side calls the twin with a preallocated C.
 * GFLOPS = 2 n^3 / t / 1e9.
 */
function matmulCase(n: number, seed: number): BenchCase {
  let arena: WasmArena | null = null;
  let runWasm = () => {};
  let runTs = () => {};
  return {
    kernel: "matmul",
    size: `${n}x${n}x${n}`,
    unit: "GFLOPS",
    work: (2 * n ** 3) / 1e9,
    setup() {
      const A = randomMatrix(new Rng(seed), n * n);
      const B = randomMatrix(new Rng(seed + 1), n * n);
      const C = new Float64Array(n * n);
      runTs = () => twin.matmul(A, B, C, n, n, n);

      const a = new WasmArena();
      arena = a;
      const aPtr = a.copyIn(A, "matrix A");
      const bPtr = a.copyIn(B, "matrix B");
      const cPtr = a.allocF64(n * n, "matrix C");
      const scratch = a.exports.matmulScratchLength(n, n, n);
      const sPtr = a.allocF64(scratch, "matmul packing buffer");
      const ex = a.exports;
      runWasm = () => ex.matmul(aPtr, bPtr, cPtr, n, n, n, sPtr);
    },
    wasm: () => runWasm(),
    ts: () => runTs(),
    teardown() {
      arena?.free();
      arena = null;
      runWasm = runTs = () => {};
    },
  };
}

/** Kernel-only matvec, set up like `matmulCase`. GFLOPS = 2 m n / t / 1e9. */
function matvecCase(m: number, n: number, seed: number): BenchCase {
  let arena: WasmArena | null = null;
  let runWasm = () => {};
  let runTs = () => {};
  return {
    kernel: "matvec",
    size: `${m}x${n}`,
    unit: "GFLOPS",
    work: (2 * m * n) / 1e9,
    setup() {
      const A = randomMatrix(new Rng(seed), m * n);
      const x = randomMatrix(new Rng(seed + 1), n);
      const y = new Float64Array(m);
      runTs = () => twin.matvec(A, x, y, m, n);

      const a = new WasmArena();
      arena = a;
      const aPtr = a.copyIn(A, "matrix A");
      const xPtr = a.copyIn(x, "vector x");
      const yPtr = a.allocF64(m, "vector y");
      const ex = a.exports;
      runWasm = () => ex.matvec(aPtr, xPtr, yPtr, m, n);
    },
    wasm: () => runWasm(),
    ts: () => runTs(),
    teardown() {
      arena?.free();
      arena = null;
      runWasm = runTs = () => {};
    },
  };
}

/**
 * End-to-end matmul through the backends' public `matmul`: the Wasm side
 * includes copying A and B in, allocating, and copying C out (24 n^2 bytes
 * of copies); the TS side includes allocating C.
 */
function matmulEndToEndCase(n: number, seed: number): BenchCase {
  let A: Float64Array = new Float64Array(0);
  let B: Float64Array = new Float64Array(0);
  return {
    kernel: "matmul end-to-end",
    size: `${n}x${n}x${n}`,
    unit: "GFLOPS",
    work: (2 * n ** 3) / 1e9,
    setup() {
      A = randomMatrix(new Rng(seed), n * n);
      B = randomMatrix(new Rng(seed + 1), n * n);
    },
    wasm: () => void wasmBackend.matmul(A, B, n, n, n),
    ts: () => void tsBackend.matmul(A, B, n, n, n),
    teardown() {
      A = B = new Float64Array(0);
    },
  };
}

/**
 * Benchmark cases for `runBench`: square matmul at each size in `sizes`
 * (default 128, 256, 512, 1024), then matvec at each of
 * `options.matvecShapes`. Unless `endToEnd` is set, the Wasm side times the
 * kernel alone on data already in Wasm memory (allocated in `setup`, freed in
 * `teardown`), and the TS side the twin with a preallocated output: both
 * measure arithmetic, not marshalling. With `endToEnd`, each matmul size
 * gets a second case, "matmul end-to-end", timing the public wrappers.
 * Inputs are uniform in [-1, 1), seeded.
 * Inputs are made in `setup` and dropped in `teardown`, so JS and Wasm
 * memory hold one case's data at a time.
 * @throws RangeError for a size that is not a positive integer
 */
export function linalgCases(
  sizes: readonly number[] = [128, 256, 512, 1024],
  options: LinalgCaseOptions = {},
): BenchCase[] {
  const {
    matvecShapes = [
      [1000, 1000],
      [4000, 1000],
    ],
    endToEnd = false,
    seed = 1,
  } = options;
  for (const v of [...sizes, ...matvecShapes.flat()]) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`sizes must be integers >= 1, got ${v}`);
    }
  }

  const cases: BenchCase[] = [];
  for (const n of sizes) {
    cases.push(matmulCase(n, seed));
    if (endToEnd) cases.push(matmulEndToEndCase(n, seed));
  }
  for (const [m, n] of matvecShapes) cases.push(matvecCase(m, n, seed));
  return cases;
}
