/**
 * The Wasm backend: thin wrappers that copy inputs into Wasm memory, run a
 * kernel from assembly/ and copy the results out. Lengths and indices are
 * checked here (src/kernels/checks.ts) before a kernel reads them, since
 * the kernels themselves do not check.
 */
import type { Backend, LogisticProblem } from "../backend.js";
import {
  checkDecisionData,
  checkLogisticData,
  checkParams,
  checkProbaData,
} from "../kernels/checks.js";
import type { Matrix } from "../data/matrix.js";
import { WasmArena, withArena } from "./memory.js";
import { forestProba, treeBuilder } from "./tree.js";
import { diffusionQSample, diffusionSession } from "./diffusion.js";
import { mlpForward, mlpGradient } from "./mlp.js";

function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  // The kernel reads and writes raw memory, so shapes are checked here.
  for (const [name, v] of [
    ["m", m],
    ["k", k],
    ["n", n],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new RangeError(`${name} must be an integer in [0, 2^31), got ${v}`);
    }
  }
  if (a.length !== m * k) {
    throw new RangeError(`a length must be m * k = ${m * k}, got ${a.length}`);
  }
  if (b.length !== k * n) {
    throw new RangeError(`b length must be k * n = ${k * n}, got ${b.length}`);
  }
  return withArena("matmul", (arena) => {
    const aPtr = arena.copyIn(a, "matrix A");
    const bPtr = arena.copyIn(b, "matrix B");
    const cPtr = arena.allocF64(m * n, "matrix C");
    const scratch = arena.exports.matmulScratchLength(m, k, n);
    const sPtr = arena.allocF64(scratch, "matmul packing buffer");
    arena.exports.matmul(aPtr, bPtr, cPtr, m, k, n, sPtr);
    return arena.copyOutF64(cPtr, m * n);
  });
}

function matvec(
  a: Float64Array,
  x: Float64Array,
  m: number,
  n: number,
): Float64Array {
  // The kernel reads and writes raw memory, so shapes are checked here.
  for (const [name, v] of [
    ["m", m],
    ["n", n],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new RangeError(`${name} must be an integer in [0, 2^31), got ${v}`);
    }
  }
  if (a.length !== m * n) {
    throw new RangeError(`a length must be m * n = ${m * n}, got ${a.length}`);
  }
  if (x.length !== n) {
    throw new RangeError(`x length must be n = ${n}, got ${x.length}`);
  }
  return withArena("matvec", (arena) => {
    const aPtr = arena.copyIn(a, "matrix A");
    const xPtr = arena.copyIn(x, "vector x");
    const yPtr = arena.allocF64(m, "vector y");
    arena.exports.matvec(aPtr, xPtr, yPtr, m, n);
    return arena.copyOutF64(yPtr, m);
  });
}

/**
 * X and y are copied into Wasm memory once; each `lossGrad` call copies the
 * parameters in and the gradient out (nParams values each way).
 */
function logisticProblem(
  X: Matrix,
  y: Float64Array,
  nRows: number,
  alpha: number,
): LogisticProblem {
  checkLogisticData(X, y, nRows);
  const arena = new WasmArena();
  const nParams = nRows * (X.cols + 1);
  try {
    const xPtr = arena.copyIn(X.data, "training matrix X");
    const yPtr = arena.copyIn(y, "labels y");
    const wPtr = arena.allocF64(nParams, "coefficients");
    const gPtr = arena.allocF64(nParams, "gradient");
    const zPtr = arena.allocF64(nRows, "decision scratch");
    const ex = arena.exports;
    return {
      nParams,
      lossGrad(w, grad) {
        checkParams(w, nParams);
        checkParams(grad, nParams, "grad");
        arena.f64(wPtr, nParams).set(w);
        const loss = ex.logisticLossGrad(
          xPtr,
          yPtr,
          X.rows,
          X.cols,
          nRows,
          wPtr,
          gPtr,
          alpha,
          zPtr,
        );
        grad.set(arena.f64(gPtr, nParams));
        return loss;
      },
      dispose() {
        arena.free();
      },
    };
  } catch (err) {
    arena.free();
    throw err;
  }
}

function logisticDecision(
  X: Matrix,
  nRows: number,
  w: Float64Array,
): Float64Array {
  checkDecisionData(X, nRows);
  checkParams(w, nRows * (X.cols + 1));
  return withArena("logisticDecision", (arena) => {
    const xPtr = arena.copyIn(X.data, "matrix X");
    const wPtr = arena.copyIn(w, "coefficients");
    const outPtr = arena.allocF64(X.rows * nRows, "decision values");
    arena.exports.logisticDecision(xPtr, X.rows, X.cols, nRows, wPtr, outPtr);
    return arena.copyOutF64(outPtr, X.rows * nRows);
  });
}

function logisticProba(
  z: Float64Array,
  nSamples: number,
  nRows: number,
): Float64Array {
  checkProbaData(z, nSamples, nRows);
  const nClasses = nRows === 1 ? 2 : nRows;
  return withArena("logisticProba", (arena) => {
    const zPtr = arena.copyIn(z, "decision values");
    const outPtr = arena.allocF64(nSamples * nClasses, "probabilities");
    arena.exports.logisticProba(zPtr, nSamples, nRows, outPtr);
    return arena.copyOutF64(outPtr, nSamples * nClasses);
  });
}

export const wasmBackend: Backend = {
  name: "wasm",
  matmul,
  matvec,
  logisticProblem,
  logisticDecision,
  logisticProba,
  treeBuilder,
  forestProba,
  diffusionQSample,
  diffusionSession,
  mlpForward,
  mlpGradient,
};
