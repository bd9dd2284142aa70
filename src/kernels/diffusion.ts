/**
 * Diffusion kernels, the TypeScript twin of assembly/diffusion.ts (same
 * names, same argument order, arrays in place of pointers). Every kernel is
 * element-wise with the Wasm kernel's operations in the same order, so the
 * two agree bit for bit.
 */
import type { Matrix } from "../data/matrix.js";
import type { ReverseStep } from "../diffusion/samplers.js";
import {
  ADAM,
  checkPredictNoise,
  checkTrainStep,
  moveAverage,
  preconditionBatch,
  preconditionInput,
  preconditionOutput,
  checkReverse,
  checkSessionOptions,
  type DiffusionSession,
  type DiffusionSessionOptions,
  type ReverseOptions,
} from "../diffusion/session.js";
import { mlpActsLength, mlpForward, mlpTrainStep } from "./mlp.js";
import { rngNormal, rngSeed, rngUniform } from "./rng.js";

/** x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, row i at its own t[i]. */
export function diffusionQSample(
  x0: Float64Array,
  t: Int32Array,
  noise: Float64Array,
  sqrtAbar: Float64Array,
  sqrtOneMinusAbar: Float64Array,
  nSamples: number,
  length: number,
  out: Float64Array,
): void {
  for (let i = 0; i < nSamples; i++) {
    const a = sqrtAbar[t[i]];
    const b = sqrtOneMinusAbar[t[i]];
    for (let k = i * length; k < (i + 1) * length; k++) {
      out[k] = a * x0[k] + b * noise[k];
    }
  }
}

/** eps = (x_t - sqrt(abar_t) x_0) / sqrt(1 - abar_t), one t for all n. */
export function diffusionOracleNoise(
  x: Float64Array,
  x0: Float64Array,
  n: number,
  sqrtAbar: number,
  sqrtOneMinusAbar: number,
  out: Float64Array,
): void {
  for (let k = 0; k < n; k++)
    out[k] = (x[k] - sqrtAbar * x0[k]) / sqrtOneMinusAbar;
}

/**
 * DDPM step t -> s: x0 = clip((x - sqrt(1 - abar_t) eps) / sqrt(abar_t)),
 * out = c1 x0 + c2 x + sigma z. clip = Infinity turns clipping off.
 */
export function diffusionDdpmStep(
  x: Float64Array,
  eps: Float64Array,
  z: Float64Array,
  n: number,
  sqrtAbar: number,
  sqrtOneMinusAbar: number,
  c1: number,
  c2: number,
  sigma: number,
  clip: number,
  out: Float64Array,
): void {
  for (let k = 0; k < n; k++) {
    const xk = x[k];
    const x0 = Math.min(
      Math.max((xk - sqrtOneMinusAbar * eps[k]) / sqrtAbar, -clip),
      clip,
    );
    out[k] = c1 * x0 + c2 * xk + sigma * z[k];
  }
}

/**
 * DDIM step t -> s: x0 as in the DDPM step, eps re-derived from x0 when
 * clipping is on, out = c1 x0 + c2 eps + sigma z.
 */
export function diffusionDdimStep(
  x: Float64Array,
  eps: Float64Array,
  z: Float64Array,
  n: number,
  sqrtAbar: number,
  sqrtOneMinusAbar: number,
  c1: number,
  c2: number,
  sigma: number,
  clip: number,
  out: Float64Array,
): void {
  const clipped = clip < Infinity;
  for (let k = 0; k < n; k++) {
    const xk = x[k];
    let e = eps[k];
    let x0 = (xk - sqrtOneMinusAbar * e) / sqrtAbar;
    if (clipped) {
      x0 = Math.min(Math.max(x0, -clip), clip);
      e = (xk - sqrtAbar * x0) / sqrtOneMinusAbar;
    }
    out[k] = c1 * x0 + c2 * e + sigma * z[k];
  }
}

/** Model input rows [x[i], embed[t[i]]], each length + embedDim long. */
export function diffusionModelInput(
  x: Float64Array,
  t: Int32Array,
  nSamples: number,
  length: number,
  embed: Float64Array,
  embedDim: number,
  out: Float64Array,
): void {
  const width = length + embedDim;
  for (let i = 0; i < nSamples; i++) {
    out.set(x.subarray(i * length, (i + 1) * length), i * width);
    out.set(
      embed.subarray(t[i] * embedDim, (t[i] + 1) * embedDim),
      i * width + length,
    );
  }
}

/**
 * A training batch: t = floor(u nTimesteps) for batchSize uniforms, then
 * batchSize x length normals eps, both from `state`; input rows
 * [x_t, embed(t)] with x_t = sqrt(abar_t) data[index] + sqrt(1 - abar_t) eps.
 */
export function diffusionTrainBatch(
  data: Float64Array,
  length: number,
  indices: Int32Array,
  batchSize: number,
  nTimesteps: number,
  sqrtAbar: Float64Array,
  sqrtOneMinusAbar: Float64Array,
  embed: Float64Array,
  embedDim: number,
  state: Uint32Array,
  t: Int32Array,
  uniform: Float64Array,
  noise: Float64Array,
  input: Float64Array,
): void {
  rngUniform(state, uniform, batchSize);
  rngNormal(state, noise, batchSize * length);
  const width = length + embedDim;
  for (let i = 0; i < batchSize; i++) {
    const ti = Math.floor(uniform[i] * nTimesteps);
    t[i] = ti;
    const a = sqrtAbar[ti];
    const b = sqrtOneMinusAbar[ti];
    const src = indices[i] * length;
    for (let k = 0; k < length; k++) {
      input[i * width + k] = a * data[src + k] + b * noise[i * length + k];
    }
    input.set(
      embed.subarray(ti * embedDim, (ti + 1) * embedDim),
      i * width + length,
    );
  }
}

// The TS backend's resident session: the kernels above and those of
// ./mlp.ts driven over plain arrays, step for step as src/wasm/diffusion.ts
// drives their Wasm twins.

/** A {@link DiffusionSession} over plain arrays (see src/diffusion/session.ts). */
export function diffusionSession(
  options: DiffusionSessionOptions,
): DiffusionSession {
  const T = checkSessionOptions(options);
  const { length, sqrtAbar, sqrtOneMinusAbar, network, data } = options;
  const state = new Uint32Array(4);
  rngSeed(state, options.seed);
  const params = network ? network.params.slice() : new Float64Array(0);
  const sizes = network ? network.sizes.slice() : new Int32Array(0);
  const nLayers = sizes.length - 1;
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  let adamStep = 0;

  /** Network output for input rows (nSamples x sizes[0]); a view into acts. */
  function forward(input: Float64Array, nSamples: number): Float64Array {
    const acts = new Float64Array(mlpActsLength(sizes, nSamples));
    mlpForward(params, sizes, nLayers, input, nSamples, acts);
    return acts.subarray(acts.length - nSamples * length);
  }

  /** The noise estimate for rows x at timesteps t into eps. */
  function predict(
    x: Float64Array,
    t: Int32Array,
    nSamples: number,
    eps: Float64Array,
  ): void {
    const E = network!.embedDim;
    const p = network!.precondition;
    const input = new Float64Array(nSamples * (length + E));
    diffusionModelInput(x, t, nSamples, length, network!.embedding, E, input);
    if (p) preconditionInput(input, length + E, t, p, nSamples, length);
    const F = forward(input, nSamples);
    if (p) preconditionOutput(eps, F, x, t, p, nSamples, length);
    else eps.set(F);
  }

  return {
    trainStep(indices: Int32Array, learningRate: number): number {
      const { network, data } = checkTrainStep(options, indices);
      const B = indices.length;
      const E = network.embedDim;
      const t = new Int32Array(B);
      const noise = new Float64Array(B * length);
      const input = new Float64Array(B * (length + E));
      diffusionTrainBatch(
        data.data,
        length,
        indices,
        B,
        T,
        sqrtAbar,
        sqrtOneMinusAbar,
        network.embedding,
        E,
        state,
        t,
        new Float64Array(B),
        noise,
        input,
      );
      const p = network.precondition;
      if (p) preconditionBatch(input, noise, length + E, t, p, B, length);
      adamStep++;
      const maxWidth = Math.max(...sizes);
      return mlpTrainStep(
        params,
        sizes,
        nLayers,
        params.length,
        input,
        noise,
        B,
        new Float64Array(mlpActsLength(sizes, B)),
        new Float64Array(B * length),
        new Float64Array(params.length),
        new Float64Array(2 * B * maxWidth),
        m,
        v,
        learningRate,
        ADAM.beta1,
        ADAM.beta2,
        ADAM.epsilon,
        1 - ADAM.beta1 ** adamStep,
        1 - ADAM.beta2 ** adamStep,
      );
    },
    predictNoise(xt: Float64Array, t: Int32Array): Float64Array {
      checkPredictNoise(options, T, xt, t);
      const eps = new Float64Array(xt.length);
      predict(xt, t, t.length, eps);
      return eps;
    },
    reverse(
      x0Start: Float64Array,
      steps: readonly ReverseStep[],
      o: ReverseOptions,
    ) {
      const nSamples = checkReverse(
        x0Start,
        length,
        T,
        steps,
        o,
        Boolean(network),
      );
      const n = x0Start.length;
      const x = x0Start.slice();
      const eps = new Float64Array(n);
      const z = new Float64Array(n);
      const t = new Int32Array(nSamples);
      const stepState = new Uint32Array(4);
      rngSeed(stepState, o.seed);
      const clip = o.clip ?? Infinity;
      for (const step of steps) {
        reverseNoise(step, o, x, eps, t, nSamples, stepState);
        if (step.sigma > 0) rngNormal(stepState, z, n);
        const kernel =
          step.sampler === "ddim" ? diffusionDdimStep : diffusionDdpmStep;
        kernel(
          x,
          eps,
          z,
          n,
          step.sqrtAbar,
          step.sqrtOneMinusAbar,
          step.c1,
          step.c2,
          step.sigma,
          clip,
          x,
        );
      }
      return x;
    },
    averageParams: (average: Float64Array, decay: number) =>
      moveAverage(average, params, decay),
    params: () => params.slice(),
    dispose() {},
  };

  function reverseNoise(
    step: ReverseStep,
    o: ReverseOptions,
    x: Float64Array,
    eps: Float64Array,
    t: Int32Array,
    nSamples: number,
    stepState: Uint32Array,
  ): void {
    if (o.source === "oracle") {
      diffusionOracleNoise(
        x,
        o.x0!,
        x.length,
        step.sqrtAbar,
        step.sqrtOneMinusAbar,
        eps,
      );
    } else if (o.source === "fresh") {
      rngNormal(stepState, eps, x.length);
    } else {
      t.fill(step.t);
      predict(x, t, nSamples, eps);
    }
  }
}

/** q(x_t | x_0) samples for rows of x0 (a one-shot call of the kernel). */
export function qSampleRows(
  x0: Matrix,
  t: Int32Array,
  noise: Float64Array,
  sqrtAbar: Float64Array,
  sqrtOneMinusAbar: Float64Array,
): Float64Array {
  const out = new Float64Array(x0.rows * x0.cols);
  diffusionQSample(
    x0.data,
    t,
    noise,
    sqrtAbar,
    sqrtOneMinusAbar,
    x0.rows,
    x0.cols,
    out,
  );
  return out;
}
