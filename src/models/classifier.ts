/** What the experiments need of a classifier, whichever model it is. */
import type { BackendName } from "../backend.js";
import type { Label } from "../data/dataset.js";
import type { Matrix, MatrixLike } from "../data/matrix.js";
import { RandomForestClassifier, type RandomForestOptions } from "./forest.js";
import { LogisticRegression } from "./logistic.js";

/** A fitted-or-not classifier with scikit-learn's method names. */
export interface Classifier {
  fit(X: MatrixLike, y: readonly Label[]): this;
  predict(X: MatrixLike): Label[];
  /** nSamples x nClasses, columns in the order of `classes` */
  predictProba(X: MatrixLike): Matrix;
  readonly classes: Label[];
  /** false when an iterative fit stopped before meeting its tolerance */
  readonly converged?: boolean;
}

/** Model families the experiments can use by name. */
export type ModelName = "logistic" | "forest";

/** The model names, for option validation and listings. */
export const MODEL_NAMES: readonly ModelName[] = ["logistic", "forest"];

/** Settings that every experiment passes to every model it builds. */
export interface ModelSettings {
  backend?: BackendName;
  seed?: number;
  /** iteration cap of iterative solvers (logistic regression: 100) */
  maxIter?: number;
  /** inverse regularisation strength of logistic regression (1) */
  C?: number;
  /** trees of a random forest (100) */
  nEstimators?: number;
}

/** The options of the random forest that {@link makeClassifier} builds. */
export function forestOptions(settings: ModelSettings): RandomForestOptions {
  return {
    backend: settings.backend,
    randomState: settings.seed ?? null,
    nEstimators: settings.nEstimators,
  };
}

/**
 * A new unfitted classifier of the named family.
 * @throws RangeError for an unknown name
 */
export function makeClassifier(
  name: ModelName,
  settings: ModelSettings = {},
): Classifier {
  if (name === "logistic") {
    return new LogisticRegression({
      backend: settings.backend,
      maxIter: settings.maxIter,
      C: settings.C,
    });
  }
  if (name === "forest")
    return new RandomForestClassifier(forestOptions(settings));
  throw new RangeError(
    `model must be one of ${MODEL_NAMES.join(", ")}, got ${JSON.stringify(name)}`,
  );
}
