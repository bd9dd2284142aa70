/** The plain-TypeScript backend: every kernel run by its twin in this folder. */
import type { Backend, LogisticProblem } from "../backend.js";
import type { Matrix } from "../data/matrix.js";
import * as linalg from "./linalg.js";
import * as logistic from "./logistic.js";

function logisticProblem(
  X: Matrix,
  y: Float64Array,
  nRows: number,
  alpha: number,
): LogisticProblem {
  const z = new Float64Array(nRows);
  return {
    nParams: nRows * (X.cols + 1),
    lossGrad(w, grad) {
      return logistic.logisticLossGrad(
        X.data, y, X.rows, X.cols, nRows, w, grad, alpha, z,
      );
    },
    dispose() {},
  };
}

export const tsBackend: Backend = {
  name: "ts",
  matmul(a, b, m, k, n) {
    const c = new Float64Array(m * n);
    linalg.matmul(a, b, c, m, k, n);
    return c;
  },
  matvec(a, x, m, n) {
    const y = new Float64Array(m);
    linalg.matvec(a, x, y, m, n);
    return y;
  },
  logisticProblem,
  logisticDecision(X, nRows, w) {
    const out = new Float64Array(X.rows * nRows);
    logistic.logisticDecision(X.data, X.rows, X.cols, nRows, w, out);
    return out;
  },
};
