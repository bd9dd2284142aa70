/**
 * Logistic regression objective, the TypeScript twin of assembly/logistic.ts
 * (same names, same argument order, arrays in place of pointers).
 *
 * Parameters `w`: nRows x nFeatures weights (row-major), then nRows
 * intercepts. `y`: class index per sample as f64 (0/1 when nRows = 1).
 */

/**
 * Mean log-loss plus (alpha / 2) ||W||^2, gradient written to `grad`.
 * Binary: loss_i = max(z, 0) + log1p(e^-|z|) - y z. Multinomial:
 * loss_i = logsumexp(z) - z_y with the max subtracted first.
 * `z` is scratch for nRows values.
 */
export function logisticLossGrad(
  X: Float64Array,
  y: Float64Array,
  nSamples: number,
  nFeatures: number,
  nRows: number,
  w: Float64Array,
  grad: Float64Array,
  alpha: number,
  z: Float64Array,
): number {
  const d = nFeatures;
  const b0 = nRows * d;
  grad.fill(0, 0, nRows * (d + 1));
  let loss = 0;

  for (let i = 0; i < nSamples; i++) {
    const xi = i * d;
    const yi = y[i];
    let zMax = -Infinity;
    for (let c = 0; c < nRows; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[xi + j] * w[c * d + j];
      z[c] = s + w[b0 + c];
      if (z[c] > zMax) zMax = z[c];
    }
    if (nRows === 1) {
      // one exp for both the loss and sigmoid(z), as in the Wasm kernel
      const zi = z[0];
      const e = Math.exp(-Math.abs(zi));
      loss += Math.max(zi, 0) + Math.log1p(e) - yi * zi;
      addResidual(X, xi, d, grad, 0, b0, (zi >= 0 ? 1 : e) / (1 + e) - yi);
      continue;
    }
    let sum = 0;
    for (let c = 0; c < nRows; c++) sum += Math.exp(z[c] - zMax);
    const lse = zMax + Math.log(sum);
    loss += lse - z[yi];
    for (let c = 0; c < nRows; c++) {
      const p = Math.exp(z[c] - lse);
      addResidual(X, xi, d, grad, c, b0, c === yi ? p - 1 : p);
    }
  }

  // Mean over samples, then the L2 penalty on the weights only.
  const invN = nSamples > 0 ? 1 / nSamples : 0;
  let penalty = 0;
  for (let p = 0; p < b0; p++) {
    grad[p] = grad[p] * invN + alpha * w[p];
    penalty += w[p] * w[p];
  }
  for (let c = 0; c < nRows; c++) grad[b0 + c] *= invN;
  return loss * invN + 0.5 * alpha * penalty;
}

function addResidual(
  X: Float64Array,
  xi: number,
  d: number,
  grad: Float64Array,
  c: number,
  b0: number,
  r: number,
): void {
  for (let j = 0; j < d; j++) grad[c * d + j] += r * X[xi + j];
  grad[b0 + c] += r;
}

/** Decision values out[i, c] = x_i . w_c + b_c (nSamples x nRows). */
export function logisticDecision(
  X: Float64Array,
  nSamples: number,
  nFeatures: number,
  nRows: number,
  w: Float64Array,
  out: Float64Array,
): void {
  const d = nFeatures;
  for (let i = 0; i < nSamples; i++) {
    for (let c = 0; c < nRows; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] * w[c * d + j];
      out[i * nRows + c] = s + w[nRows * d + c];
    }
  }
}

/**
 * Class probabilities from decision values z (nSamples x nRows) into out
 * (nSamples x nClasses, nClasses = 2 when nRows = 1): [1 - p, p] with
 * p = sigmoid(z) evaluated on the side that cannot overflow, or softmax(z)
 * with the row's max subtracted; when the max is +Infinity the classes at
 * +Infinity share probability 1. Uses the engine's Math.exp, which differs
 * between engines (and from the Wasm kernel's exp) in the last bit.
 */
export function logisticProba(
  z: Float64Array,
  nSamples: number,
  nRows: number,
  out: Float64Array,
): void {
  if (nRows === 1) {
    for (let i = 0; i < nSamples; i++) {
      const e = Math.exp(-Math.abs(z[i]));
      const p = (z[i] >= 0 ? 1 : e) / (1 + e);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return;
  }
  const K = nRows;
  for (let i = 0; i < nSamples; i++) {
    let zMax = -Infinity;
    for (let c = 0; c < K; c++) zMax = Math.max(zMax, z[i * K + c]);
    if (zMax === Infinity) {
      let n = 0;
      for (let c = 0; c < K; c++) n += z[i * K + c] === Infinity ? 1 : 0;
      for (let c = 0; c < K; c++) {
        out[i * K + c] = z[i * K + c] === Infinity ? 1 / n : 0;
      }
      continue;
    }
    let sum = 0;
    for (let c = 0; c < K; c++) {
      const e = Math.exp(z[i * K + c] - zMax);
      out[i * K + c] = e;
      sum += e;
    }
    for (let c = 0; c < K; c++) out[i * K + c] /= sum;
  }
}
