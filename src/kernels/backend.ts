/** The plain-TypeScript backend: every kernel run by its twin in this folder. */
import type {
  Backend,
  FlatForest,
  LogisticProblem,
  TreeBuilder,
  TreeGrowOptions,
} from "../backend.js";
import {
  checkDecisionData,
  checkLogisticData,
  checkParams,
  checkProbaData,
} from "./checks.js";
import { checkNetwork, checkQSample } from "../diffusion/session.js";
import type { Matrix } from "../data/matrix.js";
import * as diffusion from "./diffusion.js";
import * as linalg from "./linalg.js";
import * as mlp from "./mlp.js";
import * as logistic from "./logistic.js";
import * as tree from "./tree.js";

function logisticProblem(
  X: Matrix,
  y: Float64Array,
  nRows: number,
  alpha: number,
): LogisticProblem {
  checkLogisticData(X, y, nRows);
  const z = new Float64Array(nRows);
  const nParams = nRows * (X.cols + 1);
  return {
    nParams,
    lossGrad(w, grad) {
      checkParams(w, nParams);
      checkParams(grad, nParams, "grad");
      return logistic.logisticLossGrad(
        X.data,
        y,
        X.rows,
        X.cols,
        nRows,
        w,
        grad,
        alpha,
        z,
      );
    },
    dispose() {},
  };
}

/** X column-major, presorted once; each grow fills reused node arrays. */
function treeBuilder(X: Matrix, y: Int32Array, nClasses: number): TreeBuilder {
  const n = X.rows;
  const d = X.cols;
  const K = nClasses;
  const capacity = tree.maxTreeNodes(n);
  const xCol = tree.columnMajor(X);
  const presort = new Uint32Array(d * n);
  tree.treePresort(xCol, n, d, presort, new Uint32Array(n));
  const xlogx = new Float64Array(n + 1);
  tree.treeXlogx(xlogx, n);
  const weight = new Float64Array(n);
  const work = new ArrayBuffer(tree.treeWorkLength(n, d, K));
  const feature = new Int32Array(capacity);
  const threshold = new Float64Array(capacity);
  const left = new Int32Array(capacity);
  const right = new Int32Array(capacity);
  const impurity = new Float64Array(capacity);
  const nNodeSamples = new Int32Array(capacity);
  const weighted = new Float64Array(capacity);
  const value = new Float64Array(capacity * K);
  return {
    grow(options: TreeGrowOptions, seed: number, withSampleCounts = false) {
      const m = tree.treeGrow(
        xCol,
        y,
        presort,
        xlogx,
        n,
        d,
        K,
        tree.CRITERION_CODES[options.criterion],
        options.maxDepth,
        options.minSamplesSplit,
        options.minSamplesLeaf,
        options.maxFeatures,
        options.bootstrap ? 1 : 0,
        seed >>> 0,
        weight,
        work,
        feature,
        threshold,
        left,
        right,
        impurity,
        nNodeSamples,
        weighted,
        value,
      );
      return {
        tree: {
          nodeCount: m,
          feature: feature.slice(0, m),
          threshold: threshold.slice(0, m),
          left: left.slice(0, m),
          right: right.slice(0, m),
          impurity: impurity.slice(0, m),
          nNodeSamples: nNodeSamples.slice(0, m),
          weightedNNodeSamples: weighted.slice(0, m),
          value: value.slice(0, m * K),
        },
        sampleCounts: withSampleCounts ? weight.slice() : null,
      };
    },
    dispose() {},
  };
}

function forestProba(
  X: Matrix,
  forest: FlatForest,
  nClasses: number,
): Float64Array {
  const out = new Float64Array(X.rows * nClasses);
  tree.forestProba(
    X.data,
    X.rows,
    X.cols,
    nClasses,
    forest.nTrees,
    forest.roots,
    forest.feature,
    forest.threshold,
    forest.left,
    forest.right,
    forest.value,
    out,
  );
  return out;
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
    checkDecisionData(X, nRows);
    checkParams(w, nRows * (X.cols + 1));
    const out = new Float64Array(X.rows * nRows);
    logistic.logisticDecision(X.data, X.rows, X.cols, nRows, w, out);
    return out;
  },
  logisticProba(z, nSamples, nRows) {
    checkProbaData(z, nSamples, nRows);
    const out = new Float64Array(nSamples * (nRows === 1 ? 2 : nRows));
    logistic.logisticProba(z, nSamples, nRows, out);
    return out;
  },
  treeBuilder,
  forestProba,
  diffusionQSample(x0, t, noise, sqrtAbar, sqrtOneMinusAbar) {
    checkQSample(x0, t, noise, sqrtAbar, sqrtOneMinusAbar);
    return diffusion.qSampleRows(x0, t, noise, sqrtAbar, sqrtOneMinusAbar);
  },
  diffusionSession: diffusion.diffusionSession,
  mlpForward(sizes, params, X) {
    checkNetwork(sizes, params, X);
    const acts = new Float64Array(mlp.mlpActsLength(sizes, X.rows));
    mlp.mlpForward(params, sizes, sizes.length - 1, X.data, X.rows, acts);
    return acts.slice(acts.length - X.rows * sizes[sizes.length - 1]);
  },
  mlpGradient(sizes, params, X, dOut) {
    checkNetwork(sizes, params, X, dOut);
    const nLayers = sizes.length - 1;
    const acts = new Float64Array(mlp.mlpActsLength(sizes, X.rows));
    const grad = new Float64Array(params.length);
    const scratch = new Float64Array(2 * X.rows * Math.max(...sizes));
    mlp.mlpForward(params, sizes, nLayers, X.data, X.rows, acts);
    mlp.mlpBackward(
      params,
      sizes,
      nLayers,
      X.data,
      X.rows,
      acts,
      dOut,
      grad,
      scratch,
    );
    return grad;
  },
};
