/**
 * Checks of what the kernels of both backends read without bounds checks.
 * A module of its own so that the backends can use them without importing
 * src/backend.ts, which imports the backends.
 */
import type { Matrix } from "../data/matrix.js";

/**
 * Checks what the logistic kernels read without bounds checks: one class
 * index per sample, each an integer in [0, nClasses), and nRows >= 1.
 * @throws RangeError naming the first offending value
 */
export function checkLogisticData(
  X: Matrix,
  y: Float64Array,
  nRows: number,
): void {
  if (!Number.isInteger(nRows) || nRows < 1) {
    throw new RangeError(`nRows must be an integer >= 1, got ${nRows}`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new RangeError(
      `X.data must have rows * cols = ${X.rows * X.cols} values, got ${X.data.length}`,
    );
  }
  if (y.length !== X.rows) {
    throw new RangeError(
      `y must have ${X.rows} class indices, one per row of X, got ${y.length}`,
    );
  }
  const nClasses = nRows === 1 ? 2 : nRows;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= nClasses) {
      throw new RangeError(
        `y[${i}] must be a class index from 0 to ${nClasses - 1}, got ${y[i]}`,
      );
    }
  }
}

/**
 * Checks a matrix and row count before a decision kernel reads them
 * without bounds checks.
 * @throws RangeError for a data length other than rows * cols or a bad nRows
 */
export function checkDecisionData(X: Matrix, nRows: number): void {
  if (!Number.isInteger(nRows) || nRows < 1) {
    throw new RangeError(`nRows must be an integer >= 1, got ${nRows}`);
  }
  if (
    !Number.isInteger(X.rows) ||
    !Number.isInteger(X.cols) ||
    X.rows < 0 ||
    X.cols < 0 ||
    X.data.length !== X.rows * X.cols
  ) {
    throw new RangeError(
      `X.data must have rows * cols = ${X.rows} * ${X.cols} values, got ${X.data.length}`,
    );
  }
}

/**
 * Checks the decision values given to `logisticProba`.
 * @throws RangeError for a bad nSamples or nRows, or unless z holds
 *   nSamples * nRows values
 */
export function checkProbaData(
  z: Float64Array,
  nSamples: number,
  nRows: number,
): void {
  if (!Number.isInteger(nRows) || nRows < 1) {
    throw new RangeError(`nRows must be an integer >= 1, got ${nRows}`);
  }
  if (!Number.isInteger(nSamples) || nSamples < 0) {
    throw new RangeError(`nSamples must be an integer >= 0, got ${nSamples}`);
  }
  if (z.length !== nSamples * nRows) {
    throw new RangeError(
      `z must have nSamples * nRows = ${nSamples * nRows} values, got ${z.length}`,
    );
  }
}

/** @throws RangeError unless `w` holds exactly `nParams` parameters */
export function checkParams(
  w: Float64Array,
  nParams: number,
  name = "w",
): void {
  if (!(w instanceof Float64Array) || w.length !== nParams) {
    throw new RangeError(
      `${name} must be a Float64Array of ${nParams} parameters, got length ${w?.length}`,
    );
  }
}
