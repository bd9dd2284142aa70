/**
 * Benchmark cases for trees (assembly/tree.ts against src/kernels/tree.ts):
 * growing one tree with every feature searched at every split (the split
 * search and partitioning alone, data resident and presorted), and a whole
 * default `RandomForestClassifier` fit (100 trees, maxFeatures "sqrt",
 * bootstrap), data copied in and presorted included. Also the speed-up of
 * fitting with two worker threads over one (`forestParallelBench`, Node
 * only, asynchronous, so outside the synchronous Wasm-against-TS harness).
 */
import { getBackend, type BackendName, type TreeBuilder } from "../backend.js";
import { makeClassification } from "../data/make-classification.js";
import type { Matrix } from "../data/matrix.js";
import { formatTable } from "../charts/table.js";
import { RandomForestClassifier } from "../models/forest.js";
import { summarize, type BenchCase } from "./harness.js";

/** Rows of the default sizes, as in the targets. */
export const FOREST_ROWS = [1_000, 10_000, 100_000];
/** Features of every forest benchmark problem. */
export const FOREST_FEATURES = 20;
/** Trees of the forest fits. */
export const FOREST_TREES = 100;

/** makeClassification's defaults at the given size (2 classes, 2 informative). */
export function forestData(
  nSamples: number,
  seed = 1,
): { X: Matrix; y: number[] } {
  return makeClassification({
    nSamples,
    nFeatures: FOREST_FEATURES,
    randomState: seed,
  });
}

/**
 * One tree grown on all rows with all 20 features searched at each split
 * (no bootstrap): the split-search kernel with the data already resident.
 */
function splitSearchCase(nSamples: number): BenchCase {
  const builders: Partial<Record<BackendName, TreeBuilder>> = {};
  const options = {
    criterion: "gini" as const,
    maxDepth: 2 ** 31 - 1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: FOREST_FEATURES,
    bootstrap: false,
  };
  const run = (b: BackendName) => () => void builders[b]!.grow(options, 0);
  return {
    kernel: "tree-grow",
    size: `${nSamples}x${FOREST_FEATURES}`,
    unit: "rows/s",
    work: nSamples,
    setup() {
      const { X, y } = forestData(nSamples);
      const yi = Int32Array.from(y);
      for (const b of ["wasm", "ts"] as const) {
        builders[b] = getBackend(b).treeBuilder(X, yi, 2);
      }
    },
    teardown() {
      builders.wasm?.dispose();
      builders.ts?.dispose();
    },
    wasm: run("wasm"),
    ts: run("ts"),
  };
}

/** A default 100-tree forest fit, one thread; rows/s counts rows once per fit. */
function fitCase(nSamples: number, nTrees: number): BenchCase {
  let X: Matrix;
  let y: number[] = [];
  const run = (backend: BackendName) => () =>
    void new RandomForestClassifier({
      nEstimators: nTrees,
      randomState: 0,
      backend,
    }).fit(X, y);
  return {
    kernel: "forest-fit",
    size: `${nSamples}x${FOREST_FEATURES}, ${nTrees} trees`,
    unit: "rows/s",
    work: nSamples,
    // one warm-up and one timed fit per backend from 50k rows up: the TS
    // twin needs about 37 s for 100k rows and 100 trees
    budget:
      nSamples >= 50_000
        ? { repeat: 1, minMs: 0, warmupCalls: 1, warmupMs: 0 }
        : undefined,
    setup() {
      ({ X, y } = forestData(nSamples));
    },
    wasm: run("wasm"),
    ts: run("ts"),
  };
}

/**
 * The forest cases at the given row counts. A 100k-row TS fit takes about
 * a minute: pass smaller `rows`, fewer `trees`, or run the harness with
 * `repeat: 1, minMs: 0, warmupCalls: 1, warmupMs: 0` for the large sizes.
 */
export function forestCases(
  rows: readonly number[] = FOREST_ROWS,
  trees = FOREST_TREES,
): BenchCase[] {
  return [...rows.map(splitSearchCase), ...rows.map((n) => fitCase(n, trees))];
}

/** Bytes of a fitted forest's flat arrays (what `toJSON` serialises, as binary). */
export function forestModelBytes(model: RandomForestClassifier): number {
  const K = model.classes.length;
  return model.nodeCount * (4 * 4 + 8 * 3 + 8 * K);
}

/** One size of {@link forestParallelBench}; times in milliseconds. */
export interface ForestParallelResult {
  kernel: "forest-fit-parallel";
  size: string;
  /** median wall time of a fit with nJobs 1 (in the calling thread) */
  oneJobMs: number;
  /** median wall time of `fitAsync` with nJobs 2 (two workers) */
  twoJobsMs: number;
  /** oneJobMs / twoJobsMs */
  speedup: number;
  /** timed fits per nJobs value */
  repeats: number;
  /** bytes of the fitted forest's flat arrays ({@link forestModelBytes}) */
  modelBytes: number;
  nodeCount: number;
  /** the 1-minute load average when the size started (null outside Node) */
  loadAverage: number | null;
}

/**
 * Times default forest fits (100 trees, seed 0) with nJobs 1 and 2 at each
 * row count, alternating which goes first; three timed fits each below 50k
 * rows, one from 50k up. Worker start-up is paid by an untimed warm-up
 * fit. The two forests are identical (the bench checks it, since a
 * speed-up of different work would mean nothing). Node only.
 * @throws Error when the two forests differ
 */
export async function forestParallelBench(
  rows: readonly number[] = FOREST_ROWS,
  trees = FOREST_TREES,
  onProgress?: (message: string) => void,
): Promise<ForestParallelResult[]> {
  const fit = (jobs: number, X: Matrix, y: number[]) =>
    new RandomForestClassifier({
      nEstimators: trees,
      randomState: 0,
      nJobs: jobs,
    }).fitAsync(X, y);
  const warm = forestData(200);
  await fit(2, warm.X, warm.y);
  const results: ForestParallelResult[] = [];
  for (const n of rows) {
    const size = `${n}x${FOREST_FEATURES}, ${trees} trees`;
    const loadAverage = loadAverage1();
    const { X, y } = forestData(n);
    const repeats = n >= 50_000 ? 1 : 3;
    const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
    const models: Partial<Record<1 | 2, RandomForestClassifier>> = {};
    for (let r = 0; r < repeats; r++) {
      for (const jobs of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
        onProgress?.(
          `forest-fit-parallel ${size}: nJobs ${jobs}, fit ${r + 1} of ${repeats}`,
        );
        const t0 = performance.now();
        models[jobs] = await fit(jobs, X, y);
        times[jobs].push(performance.now() - t0);
      }
    }
    checkSameForest(models[1]!, models[2]!);
    const oneJobMs = summarize(times[1]).median;
    const twoJobsMs = summarize(times[2]).median;
    results.push({
      kernel: "forest-fit-parallel",
      size,
      oneJobMs,
      twoJobsMs,
      speedup: oneJobMs / twoJobsMs,
      repeats,
      modelBytes: forestModelBytes(models[1]!),
      nodeCount: models[1]!.nodeCount,
      loadAverage,
    });
  }
  return results;
}

/** The parallel results as a table, with the load average beside each size. */
export function formatForestParallel(
  results: readonly ForestParallelResult[],
): string {
  const table = formatTable(
    [
      { header: "kernel" },
      { header: "size" },
      { header: "1 job ms", align: "right" },
      { header: "2 jobs ms", align: "right" },
      { header: "speed-up", align: "right" },
      { header: "model MiB", align: "right" },
      { header: "load", align: "right" },
    ],
    results.map((r) => [
      r.kernel,
      r.size,
      r.oneJobMs.toFixed(0),
      r.twoJobsMs.toFixed(0),
      `${r.speedup.toFixed(2)}x`,
      (r.modelBytes / 2 ** 20).toFixed(2),
      r.loadAverage === null ? "n/a" : r.loadAverage.toFixed(2),
    ]),
  );
  return [
    "wasm forest fits in worker threads: speed-up = 1 job / 2 jobs (median time);",
    "load = 1-minute load average before the size; model = flat tree arrays",
    "",
    table,
  ].join("\n");
}

function checkSameForest(
  a: RandomForestClassifier,
  b: RandomForestClassifier,
): void {
  const same =
    a.nodeCount === b.nodeCount &&
    a.trees.every((t, k) =>
      t.threshold.every((v, i) => Object.is(v, b.trees[k].threshold[i])),
    );
  if (!same) throw new Error("forests fitted with nJobs 1 and 2 differ");
}

function loadAverage1(): number | null {
  // getBuiltinModule (Node >= 20.16) rather than a static node:os import,
  // which a browser bundle of the bench could not resolve
  const proc = typeof process === "undefined" ? undefined : process;
  if (typeof proc?.getBuiltinModule !== "function") return null;
  const os = proc.getBuiltinModule("node:os");
  return typeof os?.loadavg === "function" ? os.loadavg()[0] : null;
}
