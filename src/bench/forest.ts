/**
 * Benchmark cases for trees (assembly/tree.ts against src/kernels/tree.ts):
 * growing one tree with every feature searched at every split (the split
 * search and partitioning alone, data resident and presorted), and a whole
 * default `RandomForestClassifier` fit (100 trees, maxFeatures "sqrt",
 * bootstrap), data copied in and presorted included.
 */
import { getBackend, type BackendName, type TreeBuilder } from "../backend.js";
import { makeClassification } from "../data/make-classification.js";
import type { Matrix } from "../data/matrix.js";
import { RandomForestClassifier } from "../models/forest.js";
import type { BenchCase } from "./harness.js";

/** Rows of the default sizes, as in the targets. */
export const FOREST_ROWS = [1_000, 10_000, 100_000];
/** Features of every forest benchmark problem. */
export const FOREST_FEATURES = 20;
/** Trees of the forest fits. */
export const FOREST_TREES = 100;

/** makeClassification's defaults at the given size (2 classes, 2 informative). */
export function forestData(nSamples: number, seed = 1): { X: Matrix; y: number[] } {
  return makeClassification({ nSamples, nFeatures: FOREST_FEATURES, randomState: seed });
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
    void new RandomForestClassifier({ nEstimators: nTrees, randomState: 0, backend }).fit(X, y);
  return {
    kernel: "forest-fit",
    size: `${nSamples}x${FOREST_FEATURES}, ${nTrees} trees`,
    unit: "rows/s",
    work: nSamples,
    // one warm-up and one timed fit per backend from 50k rows up: the TS
    // twin needs about 37 s for 100k rows and 100 trees
    budget: nSamples >= 50_000 ? { repeat: 1, minMs: 0, warmupCalls: 1, warmupMs: 0 } : undefined,
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
