// Logistic regression objective: binary (sigmoid) and multinomial (softmax).
// Reference twin: src/kernels/logistic.ts. Layout of the parameters `w`:
// nRows x nFeatures weights (row-major), then nRows intercepts. `y` holds the
// class index of each sample as f64 (0 or 1 for the binary model).
// The wrapper (src/wasm/backend.ts) has checked every length, so the loops
// below read memory without further checks.

import { dot, axpy } from "./vector";

/**
 * Mean log-loss plus (alpha / 2) ||W||^2 at `w`, gradient written to `grad`.
 * Binary (nRows = 1): loss_i = log(1 + e^z) - y z, computed as
 * max(z, 0) + log1p(e^-|z|) so it never overflows; dL/dz = sigmoid(z) - y.
 * Multinomial: loss_i = logsumexp(z) - z_y with the max subtracted first;
 * dL/dz_c = softmax(z)_c - [c = y]. `zPtr` is scratch for nRows values.
 * Cost: 4 nSamples nFeatures nRows flops, one pass over X.
 */
export function logisticLossGrad(
  xPtr: usize,
  yPtr: usize,
  nSamples: i32,
  nFeatures: i32,
  nRows: i32,
  wPtr: usize,
  gradPtr: usize,
  alpha: f64,
  zPtr: usize,
): f64 {
  const d = <usize>nFeatures;
  const bPtr = wPtr + ((<usize>nRows * d) << 3);
  const gbPtr = gradPtr + ((<usize>nRows * d) << 3);
  memory.fill(gradPtr, 0, (<usize>nRows * (d + 1)) << 3);
  let loss = 0.0;

  for (let i = 0; i < nSamples; i++) {
    const xi = xPtr + ((<usize>i * d) << 3);
    const yi = <i32>load<f64>(yPtr + (<usize>i << 3));
    if (nRows == 1) {
      const z = dot(xi, wPtr, nFeatures) + load<f64>(bPtr);
      // One exp serves both: e = e^-|z| in (0, 1], log(1 + e^z) =
      // max(z, 0) + log1p(e), sigmoid(z) = 1 / (1 + e) or e / (1 + e).
      const e = Math.exp(-Math.abs(z));
      loss += Math.max(z, 0.0) + Math.log1p(e) - <f64>yi * z;
      const r = (z >= 0 ? 1.0 : e) / (1.0 + e) - <f64>yi;
      axpy(r, xi, gradPtr, nFeatures);
      store<f64>(gbPtr, load<f64>(gbPtr) + r);
      continue;
    }

    // Multinomial: decision values, then a stable softmax.
    let zMax = -Infinity;
    for (let c = 0; c < nRows; c++) {
      const z =
        dot(xi, wPtr + ((<usize>c * d) << 3), nFeatures) +
        load<f64>(bPtr + (<usize>c << 3));
      store<f64>(zPtr + (<usize>c << 3), z);
      if (z > zMax) zMax = z;
    }
    let sum = 0.0;
    for (let c = 0; c < nRows; c++) {
      sum += Math.exp(load<f64>(zPtr + (<usize>c << 3)) - zMax);
    }
    const lse = zMax + Math.log(sum);
    loss += lse - load<f64>(zPtr + (<usize>yi << 3));
    for (let c = 0; c < nRows; c++) {
      const p = Math.exp(load<f64>(zPtr + (<usize>c << 3)) - lse);
      const r = c == yi ? p - 1.0 : p;
      axpy(r, xi, gradPtr + ((<usize>c * d) << 3), nFeatures);
      const gb = gbPtr + (<usize>c << 3);
      store<f64>(gb, load<f64>(gb) + r);
    }
  }

  // Mean over samples, then the L2 penalty on the weights only.
  const invN = nSamples > 0 ? 1.0 / <f64>nSamples : 0.0;
  const nWeights = nRows * nFeatures;
  let penalty = 0.0;
  for (let p = 0; p < nWeights; p++) {
    const w = load<f64>(wPtr + (<usize>p << 3));
    const g = gradPtr + (<usize>p << 3);
    store<f64>(g, load<f64>(g) * invN + alpha * w);
    penalty += w * w;
  }
  for (let c = 0; c < nRows; c++) {
    const g = gbPtr + (<usize>c << 3);
    store<f64>(g, load<f64>(g) * invN);
  }
  return loss * invN + 0.5 * alpha * penalty;
}

/** Decision values out[i, c] = x_i . w_c + b_c (nSamples x nRows). */
export function logisticDecision(
  xPtr: usize,
  nSamples: i32,
  nFeatures: i32,
  nRows: i32,
  wPtr: usize,
  outPtr: usize,
): void {
  const d = <usize>nFeatures;
  const bPtr = wPtr + ((<usize>nRows * d) << 3);
  for (let i = 0; i < nSamples; i++) {
    const xi = xPtr + ((<usize>i * d) << 3);
    for (let c = 0; c < nRows; c++) {
      const z =
        dot(xi, wPtr + ((<usize>c * d) << 3), nFeatures) +
        load<f64>(bPtr + (<usize>c << 3));
      store<f64>(outPtr + ((<usize>(i * nRows + c)) << 3), z);
    }
  }
}

/**
 * Class probabilities from decision values z (nSamples x nRows) into out
 * (nSamples x nClasses, nClasses = 2 when nRows = 1). Binary: [1 - p, p]
 * with p = sigmoid(z) = (z >= 0 ? 1 : e) / (1 + e), e = e^-|z|, which
 * cannot overflow. Multinomial: softmax(z) with the row's max subtracted;
 * when the max is +Infinity, the classes at +Infinity share probability 1.
 * Done in Wasm so that it uses AssemblyScript's exp, the same function in
 * every engine (the engines' own Math.exp differ in the last bit).
 * Twin: src/kernels/logistic.ts logisticProba.
 */
export function logisticProba(
  zPtr: usize,
  nSamples: i32,
  nRows: i32,
  outPtr: usize,
): void {
  if (nRows == 1) {
    for (let i = 0; i < nSamples; i++) {
      const z = load<f64>(zPtr + (<usize>i << 3));
      const e = Math.exp(-Math.abs(z));
      const p = (z >= 0 ? 1.0 : e) / (1.0 + e);
      const out = outPtr + (<usize>i << 4);
      store<f64>(out, 1.0 - p);
      store<f64>(out, p, 8);
    }
    return;
  }
  for (let i = 0; i < nSamples; i++) {
    const zi = zPtr + ((<usize>i * <usize>nRows) << 3);
    const oi = outPtr + ((<usize>i * <usize>nRows) << 3);
    let zMax = -Infinity;
    for (let c = 0; c < nRows; c++) zMax = max(zMax, load<f64>(zi + (<usize>c << 3)));
    if (zMax == Infinity) {
      let n = 0;
      for (let c = 0; c < nRows; c++) {
        if (load<f64>(zi + (<usize>c << 3)) == Infinity) n++;
      }
      for (let c = 0; c < nRows; c++) {
        const top = load<f64>(zi + (<usize>c << 3)) == Infinity;
        store<f64>(oi + (<usize>c << 3), top ? 1.0 / <f64>n : 0.0);
      }
      continue;
    }
    let sum = 0.0;
    for (let c = 0; c < nRows; c++) {
      const e = Math.exp(load<f64>(zi + (<usize>c << 3)) - zMax);
      store<f64>(oi + (<usize>c << 3), e);
      sum += e;
    }
    for (let c = 0; c < nRows; c++) {
      const o = oi + (<usize>c << 3);
      store<f64>(o, load<f64>(o) / sum);
    }
  }
}
