/**
 * A small benchmark harness: each case runs a Wasm function and its
 * TypeScript twin interleaved, after a warm-up, and reports median, min and
 * max time per run plus the throughput at the median.
 *
 * Runs in Node and in browsers: nothing here imports a Node module.
 */
import type { BackendName } from "../backend.js";
import { currentBuild, simdSupported, type WasmBuild } from "../wasm/load.js";

/** What `BenchCase.work` counts; throughput is work per second. */
export type ThroughputUnit = "GFLOPS" | "rows/s" | "MB/s" | "calls/s";

/** One benchmark: the same work done by the Wasm and the TS backend. */
export interface BenchCase {
  /** Kernel name, e.g. `"matmul"`. */
  readonly kernel: string;
  /** Problem size as shown in reports, e.g. `"512x512x512"`. */
  readonly size: string;
  readonly unit: ThroughputUnit;
  /**
   * Units of work in one run, so that throughput = work / seconds; for
   * GFLOPS that is flops / 1e9 (2 n^3 / 1e9 for an n x n matmul).
   */
  readonly work: number;
  /** One run on the Wasm backend. */
  readonly wasm: () => void;
  /** One run on the TS backend. */
  readonly ts: () => void;
  /**
   * Tighter limits for an expensive case (a 100k-row forest fit in TS takes
   * most of a minute): they replace the run's options for this case only.
   */
  readonly budget?: Pick<
    BenchOptions,
    "repeat" | "minMs" | "warmupCalls" | "warmupMs"
  >;
  /** Called once before the case's first run (allocate, copy inputs in). */
  readonly setup?: () => void;
  /** Called once after the case's last run, even if setup or a run threw. */
  readonly teardown?: () => void;
}

/** Options of `runBench`. */
export interface BenchOptions {
  /** Timed repeats per backend; the median is over these. Default 5. */
  repeat?: number;
  /**
   * Each repeat calls the function enough times to last at least this many
   * milliseconds, so that timer resolution (as coarse as 0.1 ms in
   * browsers) does not matter. Default 50; 0 means one call per repeat.
   */
  minMs?: number;
  /**
   * Warm-up per backend before timing: at least `warmupCalls` calls and
   * `warmupMs` milliseconds. V8 runs a Wasm function's first calls in its
   * baseline tier and swaps in optimised code between calls; JS needs a
   * few calls too. Defaults 3 calls and 100 ms. With a fake `clock`, calls
   * must advance it or `warmupMs` must be 0.
   */
  warmupCalls?: number;
  warmupMs?: number;
  /** Progress messages (one per case and backend); the harness never prints. */
  onProgress?: (message: string) => void;
  /** Milliseconds since some origin; default `performance.now`. For tests. */
  clock?: () => number;
}

/** Timing of one case on one backend; times in milliseconds per run. */
export interface BenchResult {
  readonly kernel: string;
  readonly size: string;
  readonly backend: BackendName;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** `work / (medianMs / 1000)`, in `unit`. */
  readonly throughput: number;
  readonly unit: ThroughputUnit;
  /** Calls per timed repeat. */
  readonly runsPerRepeat: number;
}

/** Speed-up of Wasm over TS for one case. */
export interface BenchRatio {
  readonly kernel: string;
  readonly size: string;
  /** TS median time / Wasm median time: above 1 means Wasm is faster. */
  readonly wasmOverTs: number;
}

/** Everything `runBench` measured: two results and one ratio per case. */
export interface BenchReport {
  readonly results: BenchResult[];
  readonly ratios: BenchRatio[];
}

/** Median, min and max of a non-empty sample. */
export function summarize(samples: readonly number[]): {
  median: number;
  min: number;
  max: number;
} {
  if (samples.length === 0) {
    throw new RangeError("samples must not be empty, got 0 samples");
  }
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

const BACKEND_ORDER = ["wasm", "ts"] as const;
const REVERSED_ORDER = ["ts", "wasm"] as const;

function checkOptions(repeat: number, minMs: number, warmupCalls: number) {
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new RangeError(`repeat must be an integer >= 1, got ${repeat}`);
  }
  if (!(minMs >= 0)) {
    throw new RangeError(`minMs must be >= 0, got ${minMs}`);
  }
  if (!Number.isInteger(warmupCalls) || warmupCalls < 1) {
    throw new RangeError(
      `warmupCalls must be an integer >= 1, got ${warmupCalls}`,
    );
  }
}

/** Calls `fn` until both `calls` calls and `ms` milliseconds have passed. */
function warmUp(
  fn: () => void,
  calls: number,
  ms: number,
  clock: () => number,
): void {
  const start = clock();
  for (let i = 0; i < calls || clock() - start < ms; i++) fn();
}

/**
 * Calls per repeat so that one repeat lasts at least `minMs`: times batches,
 * scaling the batch by minMs / elapsed (tenfold when the timer saw nothing)
 * until one batch is long enough.
 */
function calibrate(fn: () => void, minMs: number, clock: () => number): number {
  if (minMs === 0) return 1;
  let n = 1;
  for (;;) {
    const t0 = clock();
    for (let i = 0; i < n; i++) fn();
    const elapsed = clock() - t0;
    if (elapsed >= minMs || n >= 2 ** 30) return n;
    n =
      elapsed > 0 ? Math.max(n + 1, Math.ceil((n * minMs) / elapsed)) : n * 10;
  }
}

/**
 * Runs every case on both backends and returns the timings.
 *
 * Per case: `setup`, a warm-up of each backend, then `repeat` rounds that
 * time Wasm and TS back to back, alternating which goes first so that slow
 * drift (thermal, other load) hits both equally; then `teardown`. Each
 * timed repeat makes `runsPerRepeat` calls, found after the warm-up by
 * timing batches until one lasts `minMs`, and records the mean time per
 * call; the reported median, min and max are over the repeats.
 *
 * @throws RangeError for a bad option; whatever a case throws, after
 *   calling its `teardown`
 */
export function runBench(
  cases: readonly BenchCase[],
  options: BenchOptions = {},
): BenchReport {
  const {
    repeat = 5,
    minMs = 50,
    warmupCalls = 3,
    warmupMs = 100,
    onProgress,
    clock = () => performance.now(),
  } = options;
  checkOptions(repeat, minMs, warmupCalls);
  const results: BenchResult[] = [];
  const ratios: BenchRatio[] = [];

  for (const c of cases) {
    const budget = { repeat, minMs, warmupCalls, warmupMs, ...c.budget };
    checkOptions(budget.repeat, budget.minMs, budget.warmupCalls);
    const fns = { wasm: c.wasm, ts: c.ts };
    const samples: Record<BackendName, number[]> = { wasm: [], ts: [] };
    const runs = { wasm: 1, ts: 1 };
    try {
      c.setup?.();
      for (const backend of BACKEND_ORDER) {
        onProgress?.(`${c.kernel} ${c.size}: warming up ${backend}`);
        warmUp(fns[backend], budget.warmupCalls, budget.warmupMs, clock);
        runs[backend] = calibrate(fns[backend], budget.minMs, clock);
      }

      // Timed repeats, Wasm first on even rounds and TS first on odd ones.
      for (let r = 0; r < budget.repeat; r++) {
        const order = r % 2 === 0 ? BACKEND_ORDER : REVERSED_ORDER;
        for (const backend of order) {
          const fn = fns[backend];
          const n = runs[backend];
          const t0 = clock();
          for (let i = 0; i < n; i++) fn();
          samples[backend].push((clock() - t0) / n);
        }
      }
    } finally {
      c.teardown?.();
    }

    // Statistics per backend, then the speed-up.
    for (const backend of BACKEND_ORDER) {
      const { median, min, max } = summarize(samples[backend]);
      results.push({
        kernel: c.kernel,
        size: c.size,
        backend,
        medianMs: median,
        minMs: min,
        maxMs: max,
        throughput: c.work / (median / 1000),
        unit: c.unit,
        runsPerRepeat: runs[backend],
      });
      onProgress?.(
        `${c.kernel} ${c.size} ${backend}: median ${median.toPrecision(3)} ms`,
      );
    }
    const ts = summarize(samples.ts).median;
    const wasm = summarize(samples.wasm).median;
    ratios.push({ kernel: c.kernel, size: c.size, wasmOverTs: ts / wasm });
  }
  return { results, ratios };
}

/** Where a benchmark ran, to print beside its results. */
export interface BenchEnv {
  /** `process.version` in Node, null elsewhere. */
  readonly node: string | null;
  /** Whether this engine validates a module using 128-bit SIMD. */
  readonly simd: boolean;
  /** The build of the Wasm core that ran: SIMD or scalar (null: none). */
  readonly build: WasmBuild | null;
  /** Logical cores available, null when the platform does not say. */
  readonly cores: number | null;
}

/**
 * Node version, SIMD support, core count of the running engine, and the
 * build of the Wasm core that ran (null if none was loaded).
 */
export function benchEnv(): BenchEnv {
  const proc = typeof process === "undefined" ? undefined : process;
  const node = proc?.versions?.node ? proc.version : null;
  return {
    node,
    simd: simdSupported(),
    build: currentBuild(),
    cores: coreCount(proc),
  };
}

function coreCount(proc: NodeJS.Process | undefined): number | null {
  // process.getBuiltinModule (Node >= 20.16) keeps this file free of a
  // static node:os import, which a browser bundle could not resolve.
  if (typeof proc?.getBuiltinModule === "function") {
    const os = proc.getBuiltinModule("node:os");
    if (typeof os?.availableParallelism === "function") {
      return os.availableParallelism();
    }
  }
  if (typeof navigator !== "undefined" && navigator.hardwareConcurrency > 0) {
    return navigator.hardwareConcurrency;
  }
  return null;
}
