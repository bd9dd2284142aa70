/**
 * Logistic regression with scikit-learn's defaults and semantics: L2
 * penalty with strength 1/C, L-BFGS, fitted intercept (not penalised),
 * a sigmoid model for two classes (one row of coefficients) and a
 * multinomial softmax model for more (one row per class).
 */
import { getBackend, type BackendName } from "../backend.js";
import type { Label } from "../data/dataset.js";
import { encodeLabels } from "../data/labels.js";
import {
  describe,
  matrix,
  toMatrix,
  type Matrix,
  type MatrixLike,
} from "../data/matrix.js";
import { DataError, NotFittedError } from "../errors.js";
import { DEFAULT_FTOL, minimizeLbfgs } from "../optim/lbfgs.js";
import {
  checkBackend,
  checkBoolean,
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
} from "./validation.js";

/** Options of {@link LogisticRegression}; names follow scikit-learn's. */
export interface LogisticRegressionOptions {
  /** inverse regularisation strength; default 1 */
  C?: number;
  /** L-BFGS iterations at most; default 100 */
  maxIter?: number;
  /** stop when max |gradient| <= tol; default 1e-4 */
  tol?: number;
  /**
   * stop when one iteration lowers the objective by a relative amount
   * <= ftol; default 2.22e-9, the value scikit-learn 1.2 gets from SciPy.
   * Not a scikit-learn option: set 0 to solve to `tol` alone.
   */
  ftol?: number;
  /** fit an intercept per class; default true */
  fitIntercept?: boolean;
  /** kernels to run: "wasm" (default) or "ts" */
  backend?: BackendName;
}

/** The JSON form of a fitted model, from `toJSON()`. */
export interface LogisticRegressionJSON {
  type: "LogisticRegression";
  options: Required<LogisticRegressionOptions>;
  classes: Label[];
  nFeatures: number;
  coef: number[][];
  intercept: number[];
  nIter: number;
  converged: boolean;
}

const OPTION_NAMES = ["C", "maxIter", "tol", "ftol", "fitIntercept", "backend"];

interface Fitted {
  classes: Label[];
  nFeatures: number;
  nRows: number;
  /** nRows x nFeatures weights, then nRows intercepts */
  w: Float64Array;
  nIter: number;
  converged: boolean;
  message: string;
  loss: number;
}

/**
 * L2-regularised logistic regression.
 *
 * Minimises scikit-learn 1.2's objective, the sum of the log-losses plus
 * ||W||^2 / (2 C), from zero, with L-BFGS under the same stopping rules as
 * SciPy's L-BFGS-B there: max |gradient| <= tol, or a relative decrease
 * of the objective in one iteration <= ftol (2.22e-9), or maxIter
 * iterations. The ftol rule usually fires first, so as in scikit-learn a
 * smaller tol alone does not reach the exact optimum: set `ftol: 0` too.
 * Not converging within maxIter is reported by `converged` and `nIter`,
 * never thrown.
 *
 * Training data is copied into Wasm memory once per fit (Wasm backend);
 * each L-BFGS iteration copies only the coefficients in and the gradient out.
 */
export class LogisticRegression {
  readonly options: Required<LogisticRegressionOptions>;
  private fitted: Fitted | null = null;

  /** @throws RangeError for an out-of-range option */
  constructor(options: LogisticRegressionOptions = {}) {
    const {
      C = 1,
      maxIter = 100,
      tol = 1e-4,
      ftol = DEFAULT_FTOL,
      fitIntercept = true,
      backend = "wasm",
    } = checkOptions(
      "options",
      options,
      OPTION_NAMES,
    ) as LogisticRegressionOptions;
    this.options = {
      C: checkPositive("C", C),
      maxIter: checkInteger("maxIter", maxIter, 1),
      tol: checkNonNegative("tol", tol),
      ftol: checkNonNegative("ftol", ftol),
      fitIntercept: checkBoolean("fitIntercept", fitIntercept),
      backend: checkBackend(backend),
    };
  }

  /**
   * Fits the model.
   * @param X nSamples x nFeatures, finite values
   * @param y nSamples labels (numbers or strings), at least two classes
   * @throws TypeError, DataError or RangeError for unusable inputs
   */
  fit(X: MatrixLike, y: readonly Label[] | ArrayLike<Label>): this {
    const Xm = toMatrix(X, "X");
    if (Xm.rows < 1)
      throw new DataError("X must have at least 1 sample, got 0");
    if (Xm.cols < 1)
      throw new DataError("X must have at least 1 feature, got 0");
    const { classes, indices } = encodeLabels(toLabelArray(y, "y"), "y");
    if (indices.length !== Xm.rows) {
      throw new DataError(
        `y must have one label per row of X (${Xm.rows}), got ${indices.length}`,
      );
    }
    if (classes.length < 2) {
      throw new DataError(
        `y must contain at least 2 classes, got the single class ${JSON.stringify(classes[0])}`,
      );
    }

    const nRows = classes.length === 2 ? 1 : classes.length;
    const { C, maxIter, tol, ftol, fitIntercept, backend } = this.options;
    const alpha = 1 / (C * Xm.rows);
    if (!Number.isFinite(alpha)) {
      throw new RangeError(
        `C must be large enough that 1 / (C * nSamples) is finite, got ${C}`,
      );
    }
    const problem = getBackend(backend).logisticProblem(
      Xm,
      Float64Array.from(indices),
      nRows,
      alpha,
    );
    try {
      const biasStart = nRows * Xm.cols;
      // The kernel computes the mean loss + ||W||^2 / (2 C n); times n it
      // is scikit-learn's sum + ||W||^2 / (2 C), on which tol is judged.
      const n = Xm.rows;
      const objective = (w: Float64Array, grad: Float64Array): number => {
        const f = problem.lossGrad(w, grad);
        for (let p = 0; p < grad.length; p++) grad[p] *= n;
        if (!fitIntercept) grad.fill(0, biasStart);
        return f * n;
      };
      const result = minimizeLbfgs(
        objective,
        new Float64Array(problem.nParams),
        {
          maxIter,
          gtol: tol,
          ftol,
        },
      );
      this.fitted = {
        classes,
        nFeatures: Xm.cols,
        nRows,
        w: result.x,
        nIter: result.nIter,
        converged: result.converged,
        message: result.message,
        loss: result.f,
      };
    } finally {
      problem.dispose();
    }
    return this;
  }

  private model(): Fitted {
    if (!this.fitted) throw new NotFittedError("LogisticRegression");
    return this.fitted;
  }

  private checkX(X: MatrixLike): Matrix {
    const m = this.model();
    const Xm = toMatrix(X, "X");
    if (Xm.cols !== m.nFeatures) {
      throw new DataError(
        `X must have ${m.nFeatures} features as in fit, got ${Xm.cols}`,
      );
    }
    return Xm;
  }

  /**
   * Decision values: nSamples x 1 (binary: log-odds of the second class) or
   * nSamples x nClasses (multinomial).
   */
  decisionFunction(X: MatrixLike): Matrix {
    const m = this.model();
    const Xm = this.checkX(X);
    const z = getBackend(this.options.backend).logisticDecision(
      Xm,
      m.nRows,
      m.w,
    );
    const bad = z.findIndex(Number.isNaN);
    if (bad >= 0) {
      // finite inputs can still overflow: x * w = +Inf and -Inf in one sum
      throw new DataError(
        `X row ${Math.floor(bad / m.nRows)} overflows the decision function (values too large)`,
      );
    }
    return matrix(Xm.rows, m.nRows, z);
  }

  /**
   * Class probabilities, nSamples x nClasses in the order of `classes`;
   * rows sum to 1. With the wasm backend they are the same bits in every
   * JavaScript engine (Node, browsers): the exp runs in Wasm.
   */
  predictProba(X: MatrixLike): Matrix {
    const m = this.model();
    const z = this.decisionFunction(X);
    const proba = getBackend(this.options.backend).logisticProba(
      z.data,
      z.rows,
      m.nRows,
    );
    return matrix(z.rows, m.classes.length, proba);
  }

  /** The most probable class of each row (ties to the first class). */
  predict(X: MatrixLike): Label[] {
    const m = this.model();
    const z = this.decisionFunction(X);
    const labels: Label[] = new Array(z.rows);
    for (let i = 0; i < z.rows; i++) {
      if (m.nRows === 1) {
        labels[i] = m.classes[z.data[i] > 0 ? 1 : 0];
        continue;
      }
      labels[i] = m.classes[argmaxRow(z, i)];
    }
    return labels;
  }

  /** Mean accuracy of `predict(X)` against `y`. */
  score(X: MatrixLike, y: readonly Label[] | ArrayLike<Label>): number {
    const labels = toLabelArray(y, "y");
    const classes = this.model().classes;
    if (labels.length > 0 && typeof labels[0] !== typeof classes[0]) {
      throw new TypeError(
        `y must hold labels of the fitted kind (${typeof classes[0]}), got ${describe(labels[0])}`,
      );
    }
    return accuracy(labels, this.predict(X));
  }

  /** The class labels, sorted. */
  get classes(): Label[] {
    return [...this.model().classes];
  }

  /** Coefficients: 1 x nFeatures for two classes, nClasses x nFeatures otherwise. */
  get coef(): number[][] {
    const m = this.model();
    return Array.from({ length: m.nRows }, (_, c) =>
      Array.from(m.w.subarray(c * m.nFeatures, (c + 1) * m.nFeatures)),
    );
  }

  /** Intercepts: 1 value for two classes, one per class otherwise. */
  get intercept(): number[] {
    const m = this.model();
    return Array.from(m.w.subarray(m.nRows * m.nFeatures));
  }

  /** L-BFGS iterations used. */
  get nIter(): number {
    return this.model().nIter;
  }

  /** Whether L-BFGS met its tolerance within maxIter. */
  get converged(): boolean {
    return this.model().converged;
  }

  /** Why the optimiser stopped, in words. */
  get stopReason(): string {
    return this.model().message;
  }

  /** Final value of the objective (sum of log-losses + penalty). */
  get loss(): number {
    return this.model().loss;
  }

  /** A plain-JSON snapshot of the fitted model. */
  toJSON(): LogisticRegressionJSON {
    const m = this.model();
    return {
      type: "LogisticRegression",
      options: { ...this.options },
      classes: [...m.classes],
      nFeatures: m.nFeatures,
      coef: this.coef,
      intercept: this.intercept,
      nIter: m.nIter,
      converged: m.converged,
    };
  }

  /**
   * Rebuilds a fitted model from `toJSON()` output.
   * @throws TypeError or RangeError for a malformed object
   */
  static fromJSON(json: LogisticRegressionJSON): LogisticRegression {
    if (
      typeof json !== "object" ||
      json === null ||
      json.type !== "LogisticRegression"
    ) {
      throw new TypeError("json must come from LogisticRegression.toJSON()");
    }
    const model = new LogisticRegression(json.options);
    const { classes } = encodeLabels(
      toLabelArray(json.classes, "json.classes"),
      "json.classes",
    );
    if (classes.length !== json.classes.length || classes.length < 2) {
      throw new RangeError(
        `json.classes must hold at least 2 distinct labels, got ${JSON.stringify(json.classes)}`,
      );
    }
    if (classes.some((c, k) => c !== json.classes[k])) {
      throw new RangeError(
        `json.classes must be sorted as fit sorts them, got ${JSON.stringify(json.classes)}`,
      );
    }
    const d = checkInteger("json.nFeatures", json.nFeatures, 1);
    const nRows = classes.length === 2 ? 1 : classes.length;
    const coef = finiteRows("json.coef", json.coef, nRows, d);
    const [intercept] = finiteRows(
      "json.intercept",
      [json.intercept],
      1,
      nRows,
    );
    const w = new Float64Array(nRows * (d + 1));
    coef.forEach((row, c) => w.set(row, c * d));
    w.set(intercept, nRows * d);
    model.fitted = {
      classes: [...json.classes],
      nFeatures: d,
      nRows,
      w,
      nIter: checkInteger("json.nIter", json.nIter, 0),
      converged: checkBoolean("json.converged", json.converged),
      message: "loaded from JSON",
      loss: NaN,
    };
    return model;
  }
}

/**
 * A copy of `y` as an array of labels.
 * @throws TypeError unless `y` is an array or a typed array
 */
function toLabelArray(y: unknown, name: string): Label[] {
  if (Array.isArray(y)) return y as Label[];
  if (ArrayBuffer.isView(y) && !(y instanceof DataView)) {
    return Array.from(y as unknown as ArrayLike<number>);
  }
  throw new TypeError(`${name} must be an array of labels, got ${describe(y)}`);
}

/**
 * Checks a JSON field holding `rows` arrays of `cols` finite numbers.
 * @throws TypeError or RangeError naming the field and the offending entry
 */
function finiteRows(
  name: string,
  value: unknown,
  rows: number,
  cols: number,
): number[][] {
  if (!Array.isArray(value) || value.length !== rows) {
    throw new RangeError(
      `${name} must be an array of ${rows} rows, got ${describe(value)}`,
    );
  }
  value.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new RangeError(
        `${name}[${i}] must hold ${cols} numbers, got ${describe(row)}`,
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new TypeError(
          `${name}[${i}][${j}] must be a finite number, got ${describe(v)}`,
        );
      }
    });
  });
  return value as number[][];
}

function argmaxRow(z: Matrix, i: number): number {
  let best = 0;
  for (let c = 1; c < z.cols; c++) {
    if (z.data[i * z.cols + c] > z.data[i * z.cols + best]) best = c;
  }
  return best;
}

/**
 * Fraction of positions where `pred` equals `yTrue`.
 * @throws RangeError for different lengths or empty input
 */
export function accuracy(
  yTrue: readonly Label[],
  pred: readonly Label[],
): number {
  if (yTrue.length !== pred.length) {
    throw new RangeError(
      `y must have ${pred.length} labels, one per row of X, got ${yTrue.length}`,
    );
  }
  if (yTrue.length === 0) throw new RangeError("y must not be empty");
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === pred[i]) hits++;
  return hits / yTrue.length;
}
