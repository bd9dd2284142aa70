/**
 * The worker side of `RandomForestClassifier.fitAsync` with nJobs > 1.
 *
 * Runs as compiled JavaScript (dist/models/forest-worker.js) in a worker
 * thread of the pool in src/parallel/pool.ts. Each task carries the
 * training data once (SharedArrayBuffers, not copied by posting), the
 * compiled Wasm module (posting a `WebAssembly.Module` shares its code)
 * and the indices of the trees to grow; tree t is grown from
 * `treeSeed(seed, t)`, so which worker grows it does not matter. The trees
 * come back concatenated in a few flat arrays.
 */
import {
  getBackend,
  type BackendName,
  type FlatTree,
  type TreeGrowOptions,
} from "../backend.js";
import { matrix } from "../data/matrix.js";
import { ready } from "../wasm/load.js";
import { treeSeed } from "./forest.js";

/** One worker's share of a forest fit. */
export interface ForestTask {
  backend: BackendName;
  /** the main thread's compiled module; null for the TS backend */
  module: WebAssembly.Module | null;
  /** X, nSamples x nFeatures row-major f64 (shared where the runtime allows) */
  X: SharedArrayBuffer | ArrayBuffer;
  nSamples: number;
  nFeatures: number;
  /** y, nSamples class indices (i32) */
  y: SharedArrayBuffer | ArrayBuffer;
  nClasses: number;
  options: TreeGrowOptions;
  /** the forest's base seed, in [0, 2^32) */
  seed: number;
  /** indices of the trees to grow, in the order they are returned */
  trees: number[];
  withSampleCounts: boolean;
}

/**
 * The grown trees, concatenated: tree r of the task has nodeCounts[r]
 * nodes starting at node offsets[r] (value rows times nClasses), and its
 * bootstrap counts at sampleCounts[r * nSamples].
 */
export interface ForestTaskResult {
  nodeCounts: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  impurity: Float64Array;
  nNodeSamples: Int32Array;
  weightedNNodeSamples: Float64Array;
  value: Float64Array;
  sampleCounts: Float64Array | null;
  /** set instead of the arrays on failure (error classes are lost in posting) */
  error?: { name: string; message: string };
}

/** Grows the task's trees; the pool calls this in a worker thread. */
export default async function growForestTask(
  task: ForestTask,
): Promise<ForestTaskResult> {
  try {
    if (task.module) await ready(task.module);
    return growTrees(task);
  } catch (err) {
    const e = err as Error;
    return { ...emptyResult(), error: { name: e.name, message: e.message } };
  }
}

function growTrees(task: ForestTask): ForestTaskResult {
  const { nSamples: n, nFeatures: d, nClasses: K } = task;
  const X = matrix(n, d, new Float64Array(task.X));
  const y = new Int32Array(task.y);
  const grown: FlatTree[] = [];
  const counts: Float64Array[] = [];
  const builder = getBackend(task.backend).treeBuilder(X, y, K);
  try {
    for (const t of task.trees) {
      const seed = treeSeed(task.seed, t);
      const g = builder.grow(task.options, seed, task.withSampleCounts);
      grown.push(g.tree);
      if (g.sampleCounts) counts.push(g.sampleCounts);
    }
  } finally {
    builder.dispose();
  }
  const sampleCounts = task.withSampleCounts
    ? concat(counts, Float64Array)
    : null;
  return { ...concatTrees(grown), sampleCounts };
}

function concatTrees(
  trees: FlatTree[],
): Omit<ForestTaskResult, "sampleCounts"> {
  const i32 = (pick: (t: FlatTree) => Int32Array) =>
    concat(trees.map(pick), Int32Array);
  const f64 = (pick: (t: FlatTree) => Float64Array) =>
    concat(trees.map(pick), Float64Array);
  return {
    nodeCounts: Int32Array.from(trees, (t) => t.nodeCount),
    feature: i32((t) => t.feature),
    threshold: f64((t) => t.threshold),
    left: i32((t) => t.left),
    right: i32((t) => t.right),
    impurity: f64((t) => t.impurity),
    nNodeSamples: i32((t) => t.nNodeSamples),
    weightedNNodeSamples: f64((t) => t.weightedNNodeSamples),
    value: f64((t) => t.value),
  };
}

function concat<T extends Int32Array | Float64Array>(
  parts: T[],
  Ctor: new (n: number) => T,
): T {
  const out = new Ctor(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function emptyResult(): Omit<ForestTaskResult, "error"> {
  return {
    nodeCounts: new Int32Array(0),
    feature: new Int32Array(0),
    threshold: new Float64Array(0),
    left: new Int32Array(0),
    right: new Int32Array(0),
    impurity: new Float64Array(0),
    nNodeSamples: new Int32Array(0),
    weightedNNodeSamples: new Float64Array(0),
    value: new Float64Array(0),
    sampleCounts: null,
  };
}
