/**
 * wasmlearn against other JavaScript ML libraries on the same workloads:
 * ml-matrix (`mmul`) for the matrix products, ml-logistic-regression and
 * ml-random-forest for the fits. Fits report test accuracy on held-out rows
 * of the same data beside the time, so a fast but worse model shows as such.
 *
 * The peers are optional: each is imported when needed, and one that is not
 * installed is reported through `onMissing` and left out.
 */
import { getBackend, type BackendName } from "../backend.js";
import type { Label } from "../data/dataset.js";
import { matrix, takeRows, type Matrix } from "../data/matrix.js";
import { trainTestSplit } from "../data/split.js";
import { Rng } from "../kernels/rng.js";
import { RandomForestClassifier } from "../models/forest.js";
import { accuracy, LogisticRegression } from "../models/logistic.js";
import { forestData, FOREST_FEATURES, FOREST_TREES } from "./forest.js";
import { summarize, type ThroughputUnit } from "./harness.js";
import { LOGISTIC_FEATURES, logisticData } from "./logistic.js";

/** Kernel families with peers. */
export const PEER_KERNELS = ["matmul", "matvec", "logistic", "forest"] as const;
export type PeerKernel = (typeof PEER_KERNELS)[number];

/** The peer packages, by the family they serve. */
export const PEER_PACKAGES = {
  matrix: "ml-matrix",
  logistic: "ml-logistic-regression",
  forest: "ml-random-forest",
} as const;

/** One library on one workload. */
export interface PeerResult {
  /** "wasmlearn wasm", "wasmlearn ts" or the peer's package name */
  readonly library: string;
  /** "matmul", "matvec", "logistic-fit" or "forest-fit" */
  readonly kernel: string;
  readonly size: string;
  /** median milliseconds per call (one fit, one product) */
  readonly ms: number;
  /** timed calls the median is over; 1 for calls slower than a second */
  readonly runs: number;
  /** test accuracy on the held-out rows, for fits */
  readonly accuracy?: number;
  /** work per second at the median, in `unit` */
  readonly throughput?: number;
  readonly unit?: ThroughputUnit;
}

/** What {@link runPeers} measured, plus what it could not and why. */
export interface PeerReport {
  readonly peers: PeerResult[];
  /** packages that could not be imported */
  readonly missing: string[];
  /** one sentence per setting that a reader needs to judge the figures */
  readonly notes: string[];
}

/** Options of {@link runPeers}. */
export interface PeerOptions {
  /** families to run, in this order; default all */
  kernels?: readonly PeerKernel[];
  /** n of the n x n x n products; default 128, 256, 512 */
  sizes?: readonly number[];
  /** n of the n x n matrix-vector products; default 1000 */
  matvecSizes?: readonly number[];
  /** rows of the logistic and forest problems (20 features); default 1000 */
  rows?: number;
  /** trees per forest; default 100 */
  trees?: number;
  /** timed calls per library and workload; default 5 */
  repeat?: number;
  /** each timed sample lasts at least this long (fast calls batch); default 50 */
  minMs?: number;
  /** 1000 by default; see {@link PEER_LOGISTIC_STEPS} */
  logisticSteps?: number;
  onProgress?: (message: string) => void;
  /** called once per peer package that cannot be imported */
  onMissing?: (pkg: string) => void;
  /** module loader; default dynamic `import`. For tests. */
  importer?: (specifier: string) => Promise<unknown>;
}

/** Default n of the peer matmuls: ml-matrix needs about 0.5 s at 512. */
export const PEER_MATMUL_SIZES = [128, 256, 512];
/**
 * Gradient steps of ml-logistic-regression. Its default, 50,000, takes about
 * 45 s on 750 x 20; at 1,000 its test accuracy has levelled off.
 */
export const PEER_LOGISTIC_STEPS = 1000;
/** A call slower than this is timed once, its warm-up not repeated. */
const SLOW_MS = 1000;
const TEST_SIZE = 0.25;

/**
 * Runs each chosen family with wasmlearn (both backends) and its peer.
 * Fits use one seeded problem, 75% of the rows to train and 25% to test.
 * @throws whatever a library throws, other than a failed import
 */
export async function runPeers(options: PeerOptions = {}): Promise<PeerReport> {
  const {
    kernels = PEER_KERNELS,
    importer = (specifier: string) => import(specifier),
  } = options;
  const missing: string[] = [];
  const notes: string[] = [];
  const peers: PeerResult[] = [];
  const load = async (pkg: string): Promise<Record<string, unknown> | null> => {
    try {
      return (await importer(pkg)) as Record<string, unknown>;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND")
        throw err;
      if (!missing.includes(pkg)) {
        missing.push(pkg);
        options.onMissing?.(pkg);
      }
      return null;
    }
  };

  for (const kernel of kernels) {
    options.onProgress?.(`peers: ${kernel}`);
    if (kernel === "matmul" || kernel === "matvec") {
      peers.push(
        ...matrixPeers(kernel, options, await load(PEER_PACKAGES.matrix)),
      );
      addNote(notes, MATRIX_NOTE);
    } else if (kernel === "logistic") {
      const lib = await load(PEER_PACKAGES.logistic);
      const mlMatrix = lib === null ? null : await load(PEER_PACKAGES.matrix);
      peers.push(...logisticPeers(options, lib, mlMatrix, notes));
    } else {
      peers.push(
        ...forestPeers(options, await load(PEER_PACKAGES.forest), notes),
      );
    }
  }
  return { peers, missing, notes };
}

const MATRIX_NOTE =
  "matmul, matvec: each library's public product, so wasmlearn wasm " +
  "includes copying the inputs into Wasm memory and the result out.";

function addNote(notes: string[], note: string): void {
  if (!notes.includes(note)) notes.push(note);
}

/** Median ms per call: one warm-up call, then `repeat` batched samples. */
function time(
  fn: () => void,
  repeat: number,
  minMs: number,
): { ms: number; runs: number } {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  if (first >= SLOW_MS) return { ms: first, runs: 1 };

  const batch = first > 0 ? Math.max(1, Math.ceil(minMs / first)) : 1;
  const samples: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push((performance.now() - t) / batch);
  }
  return { ms: summarize(samples).median, runs: repeat * batch };
}

function uniform(rng: Rng, length: number): Float64Array {
  return rng.fillUniform(length).map((v) => 2 * v - 1);
}

/** Products through the public backends (copies included) and ml-matrix `mmul`. */
function matrixPeers(
  kernel: "matmul" | "matvec",
  options: PeerOptions,
  mlMatrix: Record<string, unknown> | null,
): PeerResult[] {
  const { repeat = 5, minMs = 50 } = options;
  const sizes =
    kernel === "matmul"
      ? (options.sizes ?? PEER_MATMUL_SIZES)
      : (options.matvecSizes ?? [1000]);
  const results: PeerResult[] = [];
  for (const n of sizes) {
    const k = kernel === "matmul" ? n : 1;
    const A = uniform(new Rng(1), n * n);
    const B = uniform(new Rng(2), n * k);
    const size = kernel === "matmul" ? `${n}x${n}x${n}` : `${n}x${n}`;
    const gflop = (2 * n * n * k) / 1e9;
    const add = (library: string, fn: () => void) => {
      const { ms, runs } = time(fn, repeat, minMs);
      results.push({
        library,
        kernel,
        size,
        ms,
        runs,
        throughput: gflop / (ms / 1000),
        unit: "GFLOPS",
      });
    };
    for (const backend of ["wasm", "ts"] as const) {
      const b = getBackend(backend);
      add(`wasmlearn ${backend}`, () => void b.matmul(A, B, n, n, k));
    }
    if (mlMatrix !== null) {
      const M = mlMatrix.Matrix as MlMatrixClass;
      const a = M.from1DArray(n, n, A);
      const bm = M.from1DArray(n, k, B);
      add(PEER_PACKAGES.matrix, () => void a.mmul(bm));
    }
  }
  return results;
}

/** Rows `index` of X as arrays, the form the ml.js fits take. */
function toRows(X: Matrix, index: ArrayLike<number>): number[][] {
  return Array.from(index, (i) =>
    Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)),
  );
}

function pick<T>(y: readonly T[], index: ArrayLike<number>): T[] {
  return Array.from(index, (i) => y[i]);
}

/** A seeded split of one problem, in both layouts. */
function splitProblem(X: Matrix, y: readonly Label[]) {
  const { train, test } = trainTestSplit(X.rows, {
    testSize: TEST_SIZE,
    seed: 0,
  });
  return {
    Xtrain: takeRows(X, train),
    Xtest: takeRows(X, test),
    rowsTrain: toRows(X, train),
    rowsTest: toRows(X, test),
    yTrain: pick(y, train),
    yTest: pick(y, test),
  };
}

/** A timed fit and the test accuracy of the last model it made. */
function fitPeer(
  library: string,
  kernel: string,
  size: string,
  nTrain: number,
  options: PeerOptions,
  fit: () => () => Label[],
  yTest: readonly Label[],
): PeerResult {
  let predictTest: () => Label[] = () => [];
  options.onProgress?.(`peers: ${kernel} ${library}`);
  const { ms, runs } = time(
    () => void (predictTest = fit()),
    options.repeat ?? 5,
    0,
  );
  return {
    library,
    kernel,
    size,
    ms,
    runs,
    accuracy: accuracy(yTest as Label[], predictTest()),
    throughput: nTrain / (ms / 1000),
    unit: "rows/s",
  };
}

function logisticPeers(
  options: PeerOptions,
  lib: Record<string, unknown> | null,
  mlMatrix: Record<string, unknown> | null,
  notes: string[],
): PeerResult[] {
  const { rows = 1000, logisticSteps = PEER_LOGISTIC_STEPS } = options;
  const { X, y } = logisticData(rows, LOGISTIC_FEATURES);
  const p = splitProblem(X, y);
  const size = `${rows}x${LOGISTIC_FEATURES}`;
  const nTrain = p.yTrain.length;
  const results = (["wasm", "ts"] as BackendName[]).map((backend) =>
    fitPeer(
      `wasmlearn ${backend}`,
      "logistic-fit",
      size,
      nTrain,
      options,
      () => {
        const model = new LogisticRegression({ backend }).fit(
          p.Xtrain,
          p.yTrain,
        );
        return () => model.predict(p.Xtest);
      },
      p.yTest,
    ),
  );
  if (lib === null || mlMatrix === null) return results;

  const LR = lib.default as MlLogisticClass;
  const M = mlMatrix.Matrix as MlMatrixClass;
  const Xtrain = new M(p.rowsTrain);
  const Xtest = new M(p.rowsTest);
  const yTrain = M.columnVector(p.yTrain as number[]);
  results.push(
    fitPeer(
      PEER_PACKAGES.logistic,
      "logistic-fit",
      size,
      nTrain,
      options,
      () => {
        const model = new LR({ numSteps: logisticSteps });
        model.train(Xtrain, yTrain);
        return () => model.predict(Xtest);
      },
      p.yTest,
    ),
  );
  addNote(
    notes,
    `logistic-fit: wasmlearn runs its default L-BFGS (C = 1, an intercept, ` +
      `at most 100 iterations); ${PEER_PACKAGES.logistic} takes ${logisticSteps} gradient ` +
      `steps (its default is 50000) with no intercept and fits one model ` +
      `per class, two here.`,
  );
  return results;
}

function forestPeers(
  options: PeerOptions,
  lib: Record<string, unknown> | null,
  notes: string[],
): PeerResult[] {
  const { rows = 1000, trees = FOREST_TREES } = options;
  const { X, y } = forestData(rows);
  const p = splitProblem(X, y);
  const size = `${rows}x${FOREST_FEATURES}, ${trees} trees`;
  const nTrain = p.yTrain.length;
  const results = (["wasm", "ts"] as BackendName[]).map((backend) =>
    fitPeer(
      `wasmlearn ${backend}`,
      "forest-fit",
      size,
      nTrain,
      options,
      () => {
        const model = new RandomForestClassifier({
          nEstimators: trees,
          randomState: 0,
          backend,
        }).fit(p.Xtrain, p.yTrain);
        return () => model.predict(p.Xtest);
      },
      p.yTest,
    ),
  );
  if (lib === null) return results;

  const RF = lib.RandomForestClassifier as MlForestClass;
  const maxFeatures = Math.max(1, Math.floor(Math.sqrt(FOREST_FEATURES)));
  results.push(
    fitPeer(
      PEER_PACKAGES.forest,
      "forest-fit",
      size,
      nTrain,
      options,
      () => {
        const model = new RF({
          nEstimators: trees,
          seed: 0,
          maxFeatures,
          noOOB: true,
        });
        model.train(p.rowsTrain, p.yTrain as number[]);
        return () => model.predict(p.rowsTest);
      },
      p.yTest,
    ),
  );
  addNote(
    notes,
    `forest-fit: ${PEER_PACKAGES.forest} draws ${maxFeatures} of ` +
      `${FOREST_FEATURES} features per tree (its default, all of them, is ` +
      `about 5 times slower), wasmlearn ${maxFeatures} per split as ` +
      `scikit-learn does; fits over a second are timed once.`,
  );
  return results;
}

// The little of the ml.js APIs used here.
interface MlMatrixLike {
  mmul(other: MlMatrixLike): MlMatrixLike;
}
interface MlMatrixClass {
  new (rows: number[][]): MlMatrixLike;
  from1DArray(
    rows: number,
    cols: number,
    data: ArrayLike<number>,
  ): MlMatrixLike;
  columnVector(values: number[]): MlMatrixLike;
}
interface MlLogisticClass {
  new (options: { numSteps: number }): {
    train(X: MlMatrixLike, y: MlMatrixLike): void;
    predict(X: MlMatrixLike): number[];
  };
}
interface MlForestClass {
  new (options: Record<string, unknown>): {
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  };
}
