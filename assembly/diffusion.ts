// Diffusion (Ho et al. 2020, "DDPM"; Song et al. 2021, "DDIM"): the forward
// process q(x_t | x_0), the reverse steps, and the batch preparation of the
// noise-prediction objective. Reference twin: src/kernels/diffusion.ts.
//
// Signals are rows of length `length` (row-major, nSamples x length);
// timesteps are i32. Schedules arrive as per-timestep arrays and the step
// kernels as scalar coefficients computed by src/diffusion/samplers.ts.
// Every kernel here is element-wise with the twin's operations in the
// twin's order (f64x2 lanes only across elements), so results are
// bit-identical to it; the scalar build (ASC_FEATURE_SIMD false) runs the
// element loops only and is bit-identical too. The wrappers have checked
// every length and every timestep, so the loops below read memory unchecked.

import { rngNormal, rngUniform } from "./rng";

/**
 * x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps for each row, row i at its
 * own t[i] (Ho et al. 2020, eq. 4). `outPtr` may equal `x0Ptr`.
 */
export function diffusionQSample(
  x0Ptr: usize,
  tPtr: usize,
  noisePtr: usize,
  sqrtAbarPtr: usize,
  sqrtOneMinusAbarPtr: usize,
  nSamples: i32,
  length: i32,
  outPtr: usize,
): void {
  for (let i = 0; i < nSamples; i++) {
    const t = <usize>load<i32>(tPtr + (<usize>i << 2));
    const row = (<usize>i * <usize>length) << 3;
    axpby(
      load<f64>(sqrtAbarPtr + (t << 3)), x0Ptr + row,
      load<f64>(sqrtOneMinusAbarPtr + (t << 3)), noisePtr + row,
      outPtr + row, length,
    );
  }
}

/** out[k] = a x[k] + b y[k] over n elements. */
@inline
function axpby(a: f64, xPtr: usize, b: f64, yPtr: usize, outPtr: usize, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(a);
    const vb = f64x2.splat(b);
    for (; k + 2 <= n; k += 2) {
      const o = <usize>k << 3;
      v128.store(
        outPtr + o,
        f64x2.add(f64x2.mul(va, v128.load(xPtr + o)), f64x2.mul(vb, v128.load(yPtr + o))),
      );
    }
  }
  for (; k < n; k++) {
    const o = <usize>k << 3;
    store<f64>(outPtr + o, a * load<f64>(xPtr + o) + b * load<f64>(yPtr + o));
  }
}

/**
 * The noise that makes x_t out of x_0: eps = (x_t - sqrt(abar_t) x_0) /
 * sqrt(1 - abar_t), over n elements (one t for all). The "oracle" noise
 * predictor: with it the reverse process returns x_0.
 */
export function diffusionOracleNoise(
  xPtr: usize,
  x0Ptr: usize,
  n: i32,
  sqrtAbar: f64,
  sqrtOneMinusAbar: f64,
  outPtr: usize,
): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const s0 = f64x2.splat(sqrtAbar);
    const s1 = f64x2.splat(sqrtOneMinusAbar);
    for (; k + 2 <= n; k += 2) {
      const o = <usize>k << 3;
      const r = f64x2.sub(v128.load(xPtr + o), f64x2.mul(s0, v128.load(x0Ptr + o)));
      v128.store(outPtr + o, f64x2.div(r, s1));
    }
  }
  for (; k < n; k++) {
    const o = <usize>k << 3;
    store<f64>(outPtr + o, (load<f64>(xPtr + o) - sqrtAbar * load<f64>(x0Ptr + o)) / sqrtOneMinusAbar);
  }
}

/**
 * One DDPM reverse step from t to s < t (Ho et al. 2020, eqs. 7 and 15):
 * x0 = clip((x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t), -clip, clip), then
 * x_s = c1 x0 + c2 x_t + sigma z, where c1, c2 are the posterior-mean
 * coefficients and sigma the chosen standard deviation. clip = Infinity
 * turns clipping off. `outPtr` may equal `xPtr`.
 */
export function diffusionDdpmStep(
  xPtr: usize,
  epsPtr: usize,
  zPtr: usize,
  n: i32,
  sqrtAbar: f64,
  sqrtOneMinusAbar: f64,
  c1: f64,
  c2: f64,
  sigma: f64,
  clip: f64,
  outPtr: usize,
): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const s0 = f64x2.splat(sqrtAbar);
    const s1 = f64x2.splat(sqrtOneMinusAbar);
    const a = f64x2.splat(c1);
    const b = f64x2.splat(c2);
    const sd = f64x2.splat(sigma);
    const hi = f64x2.splat(clip);
    const lo = f64x2.splat(-clip);
    for (; k + 2 <= n; k += 2) {
      const o = <usize>k << 3;
      const x = v128.load(xPtr + o);
      let x0 = f64x2.div(f64x2.sub(x, f64x2.mul(s1, v128.load(epsPtr + o))), s0);
      x0 = f64x2.min(f64x2.max(x0, lo), hi);
      const mean = f64x2.add(f64x2.mul(a, x0), f64x2.mul(b, x));
      v128.store(outPtr + o, f64x2.add(mean, f64x2.mul(sd, v128.load(zPtr + o))));
    }
  }
  for (; k < n; k++) {
    const o = <usize>k << 3;
    const x = load<f64>(xPtr + o);
    let x0 = (x - sqrtOneMinusAbar * load<f64>(epsPtr + o)) / sqrtAbar;
    x0 = min(max(x0, -clip), clip);
    store<f64>(outPtr + o, c1 * x0 + c2 * x + sigma * load<f64>(zPtr + o));
  }
}

/**
 * One DDIM step from t to s < t (Song et al. 2021, eq. 12): x0 as in
 * `diffusionDdpmStep`; when clipping is on (clip finite) eps is re-derived
 * from the clipped x0, eps = (x_t - sqrt(abar_t) x0) / sqrt(1 - abar_t);
 * then x_s = c1 x0 + c2 eps + sigma z with c1 = sqrt(abar_s) and
 * c2 = sqrt(1 - abar_s - sigma^2). `outPtr` may equal `xPtr`.
 */
export function diffusionDdimStep(
  xPtr: usize,
  epsPtr: usize,
  zPtr: usize,
  n: i32,
  sqrtAbar: f64,
  sqrtOneMinusAbar: f64,
  c1: f64,
  c2: f64,
  sigma: f64,
  clip: f64,
  outPtr: usize,
): void {
  const clipped = clip < Infinity;
  for (let k = 0; k < n; k++) {
    const o = <usize>k << 3;
    const x = load<f64>(xPtr + o);
    let eps = load<f64>(epsPtr + o);
    let x0 = (x - sqrtOneMinusAbar * eps) / sqrtAbar;
    if (clipped) {
      x0 = min(max(x0, -clip), clip);
      eps = (x - sqrtAbar * x0) / sqrtOneMinusAbar;
    }
    store<f64>(outPtr + o, c1 * x0 + c2 * eps + sigma * load<f64>(zPtr + o));
  }
}

/**
 * The model's input rows: row i is x[i] (length values) followed by row
 * t[i] of the time-embedding table (embedDim values per timestep).
 */
export function diffusionModelInput(
  xPtr: usize,
  tPtr: usize,
  nSamples: i32,
  length: i32,
  embedPtr: usize,
  embedDim: i32,
  outPtr: usize,
): void {
  const rowX = <usize>length << 3;
  const rowE = <usize>embedDim << 3;
  for (let i = 0; i < nSamples; i++) {
    const t = <usize>load<i32>(tPtr + (<usize>i << 2));
    const out = outPtr + <usize>i * (rowX + rowE);
    memory.copy(out, xPtr + <usize>i * rowX, rowX);
    memory.copy(out + rowX, embedPtr + t * rowE, rowE);
  }
}

/**
 * A training batch of the noise-prediction objective (Ho et al. 2020,
 * Algorithm 1): for each index, t ~ U{0..nTimesteps-1} (floor of a uniform
 * times nTimesteps), eps ~ N(0, I) from the generator at `statePtr` (all t
 * first, then all noise), the model input [x_t, embed(t)] written to
 * `inputPtr` (batchSize x (length + embedDim)) and eps to `noisePtr`
 * (the target). `tPtr` receives the timesteps; `uniformPtr` is scratch for
 * batchSize f64.
 */
export function diffusionTrainBatch(
  dataPtr: usize,
  length: i32,
  indicesPtr: usize,
  batchSize: i32,
  nTimesteps: i32,
  sqrtAbarPtr: usize,
  sqrtOneMinusAbarPtr: usize,
  embedPtr: usize,
  embedDim: i32,
  statePtr: usize,
  tPtr: usize,
  uniformPtr: usize,
  noisePtr: usize,
  inputPtr: usize,
): void {
  rngUniform(statePtr, uniformPtr, batchSize);
  rngNormal(statePtr, noisePtr, batchSize * length);
  const rowX = <usize>length << 3;
  const rowE = <usize>embedDim << 3;
  for (let i = 0; i < batchSize; i++) {
    const u = load<f64>(uniformPtr + (<usize>i << 3));
    const t = <usize>Math.floor(u * <f64>nTimesteps);
    store<i32>(tPtr + (<usize>i << 2), <i32>t);
    const src = <usize>load<i32>(indicesPtr + (<usize>i << 2));
    const out = inputPtr + <usize>i * (rowX + rowE);
    axpby(
      load<f64>(sqrtAbarPtr + (t << 3)), dataPtr + src * rowX,
      load<f64>(sqrtOneMinusAbarPtr + (t << 3)), noisePtr + <usize>i * rowX,
      out, length,
    );
    memory.copy(out + rowX, embedPtr + t * rowE, rowE);
  }
}
