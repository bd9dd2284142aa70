/**
 * Benchmark cases for logistic regression: one objective-and-gradient
 * evaluation (assembly/logistic.ts against src/kernels/logistic.ts) and a
 * whole default fit (L-BFGS, scikit-learn's settings) on each backend.
 */
import {
  getBackend,
  type BackendName,
  type LogisticProblem,
} from "../backend.js";
import { matrix, type Matrix } from "../data/matrix.js";
import { Rng } from "../kernels/rng.js";
import { LogisticRegression } from "../models/logistic.js";
import type { BenchCase } from "./harness.js";

/** Rows of the default fit sizes, as in the targets. */
export const LOGISTIC_ROWS = [1_000, 10_000, 100_000];
/** Features of every logistic benchmark problem. */
export const LOGISTIC_FEATURES = 20;

/**
 * A seeded binary problem: standard normal features and labels from a
 * noisy linear rule on all of them, so the fit has work to do.
 */
export function logisticData(nSamples: number, nFeatures: number, seed = 1) {
  const rng = new Rng(seed);
  const X = matrix(nSamples, nFeatures, rng.fillNormal(nSamples * nFeatures));
  const w = rng.fillNormal(nFeatures);
  const noise = rng.fillNormal(nSamples);
  const y: number[] = new Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    let z = noise[i];
    for (let j = 0; j < nFeatures; j++) z += X.data[i * nFeatures + j] * w[j];
    y[i] = z > 0 ? 1 : 0;
  }
  return { X, y };
}

/** One gradient evaluation with the data already resident; rows/s. */
function gradientCase(nSamples: number): BenchCase {
  const problems: Partial<Record<BackendName, LogisticProblem>> = {};
  const nParams = LOGISTIC_FEATURES + 1;
  const w = new Rng(7).fillNormal(nParams).map((v) => 0.1 * v);
  const grad = new Float64Array(nParams);
  const run = (b: BackendName) => () => void problems[b]!.lossGrad(w, grad);
  return {
    kernel: "logistic-gradient",
    size: `${nSamples}x${LOGISTIC_FEATURES}`,
    unit: "rows/s",
    work: nSamples,
    setup() {
      const { X, y } = logisticData(nSamples, LOGISTIC_FEATURES);
      const yf = Float64Array.from(y);
      for (const b of ["wasm", "ts"] as const) {
        problems[b] = getBackend(b).logisticProblem(X, yf, 1, 1 / nSamples);
      }
    },
    teardown() {
      problems.wasm?.dispose();
      problems.ts?.dispose();
    },
    wasm: run("wasm"),
    ts: run("ts"),
  };
}

/**
 * A whole `LogisticRegression().fit` at default settings, data copied in
 * included; rows/s counts the training rows once per fit.
 */
function fitCase(nSamples: number): BenchCase {
  let X: Matrix;
  let y: number[] = [];
  const run = (backend: BackendName) => () =>
    void new LogisticRegression({ backend }).fit(X, y);
  return {
    kernel: "logistic-fit",
    size: `${nSamples}x${LOGISTIC_FEATURES}`,
    unit: "rows/s",
    work: nSamples,
    setup() {
      ({ X, y } = logisticData(nSamples, LOGISTIC_FEATURES));
    },
    wasm: run("wasm"),
    ts: run("ts"),
  };
}

/** The logistic cases at the given row counts. */
export function logisticCases(
  rows: readonly number[] = LOGISTIC_ROWS,
): BenchCase[] {
  return [...rows.map(gradientCase), ...rows.map(fitCase)];
}
