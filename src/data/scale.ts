/**
 * Standardisation with scikit-learn's StandardScaler semantics: per column,
 * z = (x - mean) / scale, where scale is the population standard deviation
 * (divisor n, not n - 1) of the training data, or 1 for a constant column.
 */
import { DataError, NotFittedError } from "../errors.js";
import { describe, toMatrix, type Matrix, type MatrixLike } from "./matrix.js";

/** The serialised form of a fitted {@link StandardScaler}. */
export interface StandardScalerJSON {
  type: "StandardScaler";
  /** nFeatures column means of the training data */
  mean: number[];
  /** nFeatures population variances of the training data */
  variance: number[];
  /** nFeatures divisors: the standard deviation, or 1 if constant */
  scale: number[];
  /** rows of the training data */
  nSamplesSeen: number;
}

/** The fitted statistics, all of length nFeatures. */
interface ScalerState {
  mean: Float64Array;
  variance: Float64Array;
  scale: Float64Array;
  nSamplesSeen: number;
}

const EPS = 2.220446049250313e-16; // 2^-52, numpy's finfo(float64).eps

/**
 * Centres each column on its training mean and divides by its training
 * standard deviation. Fit on training rows only, then transform training
 * and test rows with the same statistics, so that nothing about the test
 * rows leaks into the model.
 *
 * @example
 * const scaler = new StandardScaler().fit(XTrain);
 * const Z = scaler.transform(XTest);
 */
export class StandardScaler {
  private state: ScalerState | undefined;

  /**
   * Learns the column means and standard deviations.
   * @param X nSamples x nFeatures, at least one row and one column, finite;
   *   not modified or kept
   * @throws TypeError for something that is not a matrix
   * @throws DataError for NaN or infinite entries, ragged rows, no rows or
   *   columns, or a column whose variance overflows (spread above ~1e154)
   */
  fit(X: MatrixLike): this {
    const m = toMatrix(X, "X");
    if (m.rows < 1) throw new DataError("X must have at least 1 sample, got 0");
    if (m.cols < 1) {
      throw new DataError("X must have at least 1 feature, got 0");
    }
    this.state = columnStatistics(m);
    return this;
  }

  /**
   * Standardises `X` with the fitted statistics.
   * @param X nSamples x nFeatures with the fitted nFeatures, finite
   * @returns a new matrix; `X` is not modified
   * @throws NotFittedError before `fit`
   * @throws TypeError for something that is not a matrix
   * @throws DataError for NaN or infinite entries or ragged rows
   * @throws RangeError for a different number of columns than in `fit`
   */
  transform(X: MatrixLike): Matrix {
    const { mean, scale } = this.fitted();
    const m = this.checkColumns(X);
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const p = i * m.cols + j;
        out[p] = (m.data[p] - mean[j]) / scale[j];
      }
    }
    return { data: out, rows: m.rows, cols: m.cols };
  }

  /**
   * Undoes {@link transform}: x = z * scale + mean.
   * @param X nSamples x nFeatures of standardised values
   * @returns a new matrix
   * @throws as {@link transform}
   */
  inverseTransform(X: MatrixLike): Matrix {
    const { mean, scale } = this.fitted();
    const m = this.checkColumns(X);
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const p = i * m.cols + j;
        out[p] = m.data[p] * scale[j] + mean[j];
      }
    }
    return { data: out, rows: m.rows, cols: m.cols };
  }

  /**
   * `fit(X)` then `transform(X)`.
   * @throws as {@link fit}
   */
  fitTransform(X: MatrixLike): Matrix {
    const m = toMatrix(X, "X");
    return this.fit(m).transform(m);
  }

  /** Whether `fit` has been called. */
  get isFitted(): boolean {
    return this.state !== undefined;
  }

  /**
   * Column means of the training data (a copy), length nFeatures.
   * @throws NotFittedError before `fit`
   */
  get mean(): Float64Array {
    return this.fitted().mean.slice();
  }

  /**
   * Population variances of the training data (a copy), length nFeatures.
   * @throws NotFittedError before `fit`
   */
  get variance(): Float64Array {
    return this.fitted().variance.slice();
  }

  /**
   * The divisors (a copy), length nFeatures: the population standard
   * deviation, or 1 for a constant column.
   * @throws NotFittedError before `fit`
   */
  get scale(): Float64Array {
    return this.fitted().scale.slice();
  }

  /**
   * The number of columns seen in `fit`.
   * @throws NotFittedError before `fit`
   */
  get nFeatures(): number {
    return this.fitted().mean.length;
  }

  /**
   * The fitted statistics as plain JSON (numbers round-trip exactly).
   * @throws NotFittedError before `fit`
   */
  toJSON(): StandardScalerJSON {
    const s = this.fitted();
    return {
      type: "StandardScaler",
      mean: Array.from(s.mean),
      variance: Array.from(s.variance),
      scale: Array.from(s.scale),
      nSamplesSeen: s.nSamplesSeen,
    };
  }

  /**
   * Rebuilds a fitted scaler from {@link toJSON}'s output.
   * @throws TypeError for a value that is not a StandardScaler's JSON
   * @throws RangeError for arrays of different or zero length, non-finite
   *   values, a negative variance, a scale that is not > 0, or a
   *   non-integer nSamplesSeen < 1
   */
  static fromJSON(json: StandardScalerJSON): StandardScaler {
    if (typeof json !== "object" || json === null) {
      throw new TypeError(`json must be an object, got ${describe(json)}`);
    }
    if (json.type !== "StandardScaler") {
      throw new TypeError(
        `json.type must be "StandardScaler", got ${describe(json.type)}`,
      );
    }
    const mean = jsonArray(json.mean, "json.mean");
    const variance = jsonArray(json.variance, "json.variance");
    const scale = jsonArray(json.scale, "json.scale");
    checkJsonStatistics(mean, variance, scale, json.nSamplesSeen);
    const scaler = new StandardScaler();
    scaler.state = { mean, variance, scale, nSamplesSeen: json.nSamplesSeen };
    return scaler;
  }

  private fitted(): ScalerState {
    if (this.state === undefined) throw new NotFittedError("StandardScaler");
    return this.state;
  }

  private checkColumns(X: MatrixLike): Matrix {
    const m = toMatrix(X, "X");
    const nFeatures = this.fitted().mean.length;
    if (m.cols !== nFeatures) {
      throw new RangeError(
        `X must have ${nFeatures} columns, as in fit, got ${m.cols}`,
      );
    }
    return m;
  }
}

/**
 * Means and population variances by two passes, the second with the
 * correction term sum(x - mean)^2 / n that cancels most of the rounding
 * left in the mean (Chan, Golub & LeVeque, 1983, "Algorithms for
 * computing the sample variance"; sklearn's `_incremental_mean_and_var`
 * does the same). Rounding can leave a constant column's variance a hair
 * below zero, hence the clamp.
 */
function columnStatistics(m: Matrix): ScalerState {
  const { rows: n, cols, data } = m;
  const mean = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= n;

  const sumSq = new Float64Array(cols);
  const sumDev = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) {
      const d = data[i * cols + j] - mean[j];
      sumDev[j] += d;
      sumSq[j] += d * d;
    }
  }
  const variance = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    variance[j] = Math.max(0, (sumSq[j] - (sumDev[j] * sumDev[j]) / n) / n);
    if (!Number.isFinite(variance[j])) {
      // Spreads beyond ~1e154 square past the float64 maximum.
      throw new DataError(
        `X column ${j} must have a finite variance, got ${variance[j]}`,
      );
    }
    const constant = isConstant(variance[j], mean[j], n);
    scale[j] = constant ? 1 : Math.sqrt(variance[j]);
  }
  return { mean, variance, scale, nSamplesSeen: n };
}

/**
 * True when a variance is within rounding error of zero, by sklearn's
 * `_is_constant_feature` bound: var <= n eps var + (n mean eps)^2. A
 * constant column such as 0.1 repeated can come out with a variance of
 * 1e-35 instead of 0; dividing by its root would blow noise up to O(1).
 */
function isConstant(variance: number, mean: number, n: number): boolean {
  const bound = n * EPS * variance + (n * mean * EPS) ** 2;
  return variance <= bound;
}

function jsonArray(v: unknown, name: string): Float64Array {
  if (!Array.isArray(v)) {
    throw new TypeError(`${name} must be an array, got ${describe(v)}`);
  }
  for (const [j, x] of v.entries()) {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new RangeError(
        `${name}[${j}] must be a finite number, got ${describe(x)}`,
      );
    }
  }
  return Float64Array.from(v as number[]);
}

function checkJsonStatistics(
  mean: Float64Array,
  variance: Float64Array,
  scale: Float64Array,
  nSamplesSeen: unknown,
): void {
  if (mean.length < 1) {
    throw new RangeError("json.mean must have at least 1 value, got 0");
  }
  for (const [name, a] of [
    ["variance", variance],
    ["scale", scale],
  ] as const) {
    if (a.length !== mean.length) {
      throw new RangeError(
        `json.${name} must have ${mean.length} values like json.mean, ` +
          `got ${a.length}`,
      );
    }
  }
  const badVar = variance.findIndex((v) => v < 0);
  if (badVar >= 0) {
    throw new RangeError(
      `json.variance[${badVar}] must be >= 0, got ${variance[badVar]}`,
    );
  }
  const badScale = scale.findIndex((s) => !(s > 0));
  if (badScale >= 0) {
    throw new RangeError(
      `json.scale[${badScale}] must be > 0, got ${scale[badScale]}`,
    );
  }
  if (!Number.isInteger(nSamplesSeen) || (nSamplesSeen as number) < 1) {
    throw new RangeError(
      "json.nSamplesSeen must be an integer >= 1, got " +
        describe(nSamplesSeen),
    );
  }
}
