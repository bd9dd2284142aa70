/**
 * The estimators a search can tune, by name: which options are tunable,
 * how a configuration becomes a model, and the default space of each.
 * Runtime-independent.
 */
import type { BackendName } from "../backend.js";
import { matrix, type Matrix } from "../data/matrix.js";
import { StandardScaler } from "../data/scale.js";
import { RandomForestClassifier } from "../models/forest.js";
import { LogisticRegression } from "../models/logistic.js";
import type { Params, ParamValue, SearchSpace } from "./space.js";

/** Estimators that searches can tune. */
export type EstimatorName = "forest" | "logistic";

export const ESTIMATOR_NAMES: readonly EstimatorName[] = ["forest", "logistic"];

/** Tunable options of each estimator (the constructors' own names). */
export const TUNABLE: Record<EstimatorName, readonly string[]> = {
  forest: [
    "nEstimators",
    "criterion",
    "maxDepth",
    "minSamplesSplit",
    "minSamplesLeaf",
    "maxFeatures",
    "bootstrap",
  ],
  logistic: ["C", "maxIter", "tol", "fitIntercept"],
};

/**
 * The default spaces. For the forest, the course's grid: 3 x 4 x 3 = 36
 * points; for logistic regression, C from 1e-3 to 1e3 by decades.
 */
export function defaultSpace(model: EstimatorName): SearchSpace {
  if (model === "forest") {
    return {
      nEstimators: { type: "categorical", values: [50, 100, 200] },
      maxDepth: { type: "categorical", values: [3, 5, 7, null] },
      minSamplesSplit: { type: "categorical", values: [2, 5, 10] },
    };
  }
  return {
    C: {
      type: "categorical",
      values: [0.001, 0.01, 0.1, 1, 10, 100, 1000],
    },
  };
}

/** A model fitted on class indices, predicting class indices. */
export interface TrialModel {
  fit(X: Matrix, y: Int32Array): void;
  predict(X: Matrix): Int32Array;
}

/** What a trial builds beside the configuration. */
export interface BuildSettings {
  /** the forest's randomState: the same for every trial, so that trials differ only by their params */
  seed: number;
  backend?: BackendName;
}

function forestModel(params: Params, s: BuildSettings): TrialModel {
  const forest = new RandomForestClassifier({
    ...(params as Record<string, never>),
    randomState: s.seed,
    backend: s.backend ?? "wasm",
    nJobs: 1,
  });
  return {
    fit: (X, y) => void forest.fit(X, y),
    predict: (X) => Int32Array.from(forest.predict(X) as number[]),
  };
}

/** Logistic regression on features standardised with the training rows. */
function logisticModel(params: Params, s: BuildSettings): TrialModel {
  const model = new LogisticRegression({
    ...(params as Record<string, never>),
    backend: s.backend ?? "wasm",
  });
  const scaler = new StandardScaler();
  return {
    fit: (X, y) => void model.fit(scaler.fit(X).transform(X), y),
    predict: (X) =>
      Int32Array.from(model.predict(scaler.transform(X)) as number[]),
  };
}

/**
 * A new model for a configuration.
 * @throws RangeError or TypeError from the estimator for a bad value
 */
export function buildModel(
  model: EstimatorName,
  params: Params,
  settings: BuildSettings,
): TrialModel {
  return model === "forest"
    ? forestModel(params, settings)
    : logisticModel(params, settings);
}

/** Whether the estimator accepts `value` for option `name`, or why not. */
function valueProblem(
  model: EstimatorName,
  name: string,
  value: ParamValue,
): string | null {
  try {
    buildModel(model, { [name]: value }, { seed: 0 });
    return null;
  } catch (err) {
    if (err instanceof RangeError || err instanceof TypeError) {
      return err.message;
    }
    throw err;
  }
}

/**
 * Checks that every name of the space is a tunable option of the model
 * and every value (list entries, range ends) is one it accepts.
 * @throws RangeError naming the parameter and what is wrong
 */
export function checkSpaceForModel(
  space: SearchSpace,
  model: EstimatorName,
): void {
  if (!ESTIMATOR_NAMES.includes(model)) {
    throw new RangeError(
      `model must be one of ${ESTIMATOR_NAMES.join(", ")}, got ${JSON.stringify(model)}`,
    );
  }
  for (const [name, d] of Object.entries(space)) {
    if (!TUNABLE[model].includes(name)) {
      throw new RangeError(
        `space parameter ${JSON.stringify(name)} must be one of ${model}'s ` +
          `${TUNABLE[model].join(", ")}, got ${JSON.stringify(name)}`,
      );
    }
    // a point inside a float range too: an integer-only option fails there
    const values =
      d.type === "categorical"
        ? d.values
        : d.type === "int"
          ? [d.low, d.high]
          : [d.low, d.high, d.low + 0.377 * (d.high - d.low)];
    for (const v of values) {
      const problem = valueProblem(model, name, v);
      if (problem) {
        throw new RangeError(
          `space.${name} must hold valid values: ${problem}`,
        );
      }
    }
  }
}

/** Rows `index` of X as a new matrix (the trial's copy of its fold). */
export function rowsOf(X: Matrix, index: Int32Array): Matrix {
  const d = X.cols;
  const out = new Float64Array(index.length * d);
  for (let r = 0; r < index.length; r++) {
    out.set(X.data.subarray(index[r] * d, index[r] * d + d), r * d);
  }
  return matrix(index.length, d, out);
}
