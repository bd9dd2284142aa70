/**
 * What a backend offers the diffusion models: a session whose schedule,
 * network, optimiser state, random generator and training signals stay
 * resident (in Wasm memory for the Wasm backend) while training steps and
 * reverse loops run; only indices, scalars and results cross per call.
 * Implemented by src/wasm/diffusion.ts and src/kernels/diffusion.ts.
 */
import type { Matrix } from "../data/matrix.js";
import type { ReverseStep } from "./samplers.js";

/** The noise predictor's network as a session holds it. */
export interface SessionNetwork {
  /** layer widths: sizes[0] = length + embedDim, last = length */
  readonly sizes: Int32Array;
  /** initial parameters (copied) */
  readonly params: Float64Array;
  /** T x embedDim time-embedding table, row-major */
  readonly embedding: Float64Array;
  readonly embedDim: number;
  /** the network's input and output scalings; absent, a bare network */
  readonly precondition?: Precondition;
}

/** What a session is built from. */
export interface DiffusionSessionOptions {
  /** values per signal */
  readonly length: number;
  /** sqrt(abar_t) and sqrt(1 - abar_t), one per timestep (T of each) */
  readonly sqrtAbar: Float64Array;
  readonly sqrtOneMinusAbar: Float64Array;
  /** the noise predictor; without it only "oracle" and "fresh" noise run */
  readonly network?: SessionNetwork;
  /** training signals, nSignals x length; needed by `trainStep` */
  readonly data?: Matrix;
  /** seed of the session's generator (training batches) */
  readonly seed: number;
}

/**
 * Where a reverse step gets its noise estimate eps: the network; the
 * oracle, the exact noise that makes x_t out of a known x0; or fresh
 * standard normal draws (the course's demonstration, which is not a
 * prediction at all).
 */
export type NoiseSource = "model" | "oracle" | "fresh";

/** Options of `DiffusionSession.reverse`. */
export interface ReverseOptions {
  readonly source: NoiseSource;
  /** for "oracle": the clean signals, nSamples x length */
  readonly x0?: Float64Array;
  /** clip the x0 estimate to [-clip, clip]; default Infinity (off) */
  readonly clip?: number;
  /** seed of the step noise z (and of "fresh" eps) */
  readonly seed: number;
}

/** A resident diffusion workspace; call `dispose()` when done. */
export interface DiffusionSession {
  /**
   * One Adam step (beta1 0.9, beta2 0.999, eps 1e-8) of the mean squared
   * error between predicted and true noise on the batch of training rows
   * `indices`, with t and eps drawn from the session's generator. Returns
   * the batch loss before the step.
   */
  trainStep(indices: Int32Array, learningRate: number): number;
  /** The network's noise estimate for rows xt (nSamples x length), row i at t[i]. */
  predictNoise(xt: Float64Array, t: Int32Array): Float64Array;
  /**
   * Runs `steps` from x (nSamples x length, typically x_T ~ N(0, I)) and
   * returns the final signals; x is not modified.
   */
  reverse(
    x: Float64Array,
    steps: readonly ReverseStep[],
    options: ReverseOptions,
  ): Float64Array;
  /**
   * Moves `average` (nParams values, updated in place) toward the current
   * parameters: average = decay average + (1 - decay) params, in plain
   * JavaScript on both backends so the averages agree wherever the
   * parameters do.
   */
  averageParams(average: Float64Array, decay: number): void;
  /** A copy of the current network parameters. */
  params(): Float64Array;
  dispose(): void;
}

/**
 * Per-timestep scalings (T values each) that wrap the network F: it sees
 * cIn_t x_t, and the noise estimate is cSkip_t x_t + cOut_t F (Karras et
 * al. 2022, sec. 5 and table 1, written for epsilon).
 */
export interface Precondition {
  readonly cIn: Float64Array;
  readonly cSkip: Float64Array;
  readonly cOut: Float64Array;
}

/**
 * Turns nSamples rows of model input ([x_t, embedding], `width` values
 * each) and their true noise into the network's view: the noise becomes
 * its target (eps - cSkip x_t) / cOut, then x_t is scaled by cIn. Plain
 * JavaScript on both backends, so they agree wherever their inputs do.
 */
export function preconditionBatch(
  input: Float64Array,
  noise: Float64Array,
  width: number,
  t: Int32Array,
  p: Precondition,
  nSamples: number,
  length: number,
): void {
  for (let i = 0; i < nSamples; i++) {
    const skip = p.cSkip[t[i]];
    const out = p.cOut[t[i]];
    for (let k = 0; k < length; k++) {
      noise[i * length + k] =
        (noise[i * length + k] - skip * input[i * width + k]) / out;
    }
  }
  preconditionInput(input, width, t, p, nSamples, length);
}

/** Scales the x_t part of nSamples input rows by cIn_t. */
export function preconditionInput(
  input: Float64Array,
  width: number,
  t: Int32Array,
  p: Precondition,
  nSamples: number,
  length: number,
): void {
  for (let i = 0; i < nSamples; i++) {
    const c = p.cIn[t[i]];
    for (let k = 0; k < length; k++) input[i * width + k] *= c;
  }
}

/** eps = cSkip_t x + cOut_t F for nSamples rows of `length` values. */
export function preconditionOutput(
  eps: Float64Array,
  F: Float64Array,
  x: Float64Array,
  t: Int32Array,
  p: Precondition,
  nSamples: number,
  length: number,
): void {
  for (let i = 0; i < nSamples; i++) {
    const skip = p.cSkip[t[i]];
    const out = p.cOut[t[i]];
    for (let k = i * length; k < (i + 1) * length; k++)
      eps[k] = skip * x[k] + out * F[k];
  }
}

/** average = decay average + (1 - decay) params, element by element. */
export function moveAverage(
  average: Float64Array,
  params: Float64Array,
  decay: number,
): void {
  if (average.length !== params.length) {
    throw new RangeError(
      `average must hold the ${params.length} parameters, got ${average.length}`,
    );
  }
  const rest = 1 - decay;
  for (let p = 0; p < params.length; p++) {
    average[p] = decay * average[p] + rest * params[p];
  }
}

/** Adam's constants (Kingma & Ba 2015 defaults). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/**
 * Checks what the kernels read unchecked: lengths of the schedule arrays,
 * the network's widths against its parameters and embedding, the data's
 * width. Returns T.
 * @throws RangeError naming the first mismatch
 */
export function checkSessionOptions(o: DiffusionSessionOptions): number {
  const T = o.sqrtAbar.length;
  if (!Number.isInteger(o.length) || o.length < 1) {
    throw new RangeError(`length must be an integer >= 1, got ${o.length}`);
  }
  if (T < 1 || o.sqrtOneMinusAbar.length !== T) {
    throw new RangeError(
      `sqrtOneMinusAbar must have the ${T} values of sqrtAbar (T >= 1), got ${o.sqrtOneMinusAbar.length}`,
    );
  }
  const net = o.network;
  if (net) {
    const { sizes } = net;
    const last = sizes.length - 1;
    if (
      sizes.length < 2 ||
      sizes[0] !== o.length + net.embedDim ||
      sizes[last] !== o.length
    ) {
      throw new RangeError(
        `network sizes must run from length + embedDim = ${o.length + net.embedDim} to length = ${o.length}, got [${sizes.join(", ")}]`,
      );
    }
    if (sizes.some((w) => !(Number.isInteger(w) && w >= 1))) {
      throw new RangeError(
        `network sizes must be integers >= 1, got [${sizes.join(", ")}]`,
      );
    }
    let nParams = 0;
    for (let l = 0; l < last; l++) nParams += sizes[l + 1] * (sizes[l] + 1);
    if (net.params.length !== nParams) {
      throw new RangeError(
        `network params must hold ${nParams} values, got ${net.params.length}`,
      );
    }
    const p = net.precondition;
    if (
      p &&
      (p.cIn.length !== T || p.cSkip.length !== T || p.cOut.length !== T)
    ) {
      throw new RangeError(
        `network precondition must hold T = ${T} values of each scaling, got ${p.cIn.length}, ${p.cSkip.length}, ${p.cOut.length}`,
      );
    }
    if (net.embedding.length !== T * net.embedDim) {
      throw new RangeError(
        `network embedding must hold T x embedDim = ${T * net.embedDim} values, got ${net.embedding.length}`,
      );
    }
  }
  if (
    o.data &&
    (o.data.cols !== o.length || o.data.data.length !== o.data.rows * o.length)
  ) {
    throw new RangeError(
      `data must have ${o.length} columns, got ${o.data.cols}`,
    );
  }
  return T;
}

/** @throws RangeError unless every value is an integer in [0, n) */
export function checkIndexArray(
  name: string,
  values: Int32Array,
  n: number,
): void {
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] < n)) {
      throw new RangeError(
        `${name}[${i}] must be in [0, ${n}), got ${values[i]}`,
      );
    }
  }
}

/**
 * Checks a `trainStep` call, the same for both backends.
 * @throws RangeError without a network or data, or for an index out of range
 */
export function checkTrainStep(
  options: DiffusionSessionOptions,
  indices: Int32Array,
): Required<Pick<DiffusionSessionOptions, "network" | "data">> {
  const { network, data } = options;
  if (!network || !data) {
    throw new RangeError("trainStep needs a session with a network and data");
  }
  checkIndexArray("indices", indices, data.rows);
  return { network, data };
}

/**
 * Checks a `predictNoise` call, the same for both backends.
 * @throws RangeError without a network, for a timestep outside [0, T) or
 *   for signals of the wrong length
 */
export function checkPredictNoise(
  options: DiffusionSessionOptions,
  nTimesteps: number,
  xt: Float64Array,
  t: Int32Array,
): void {
  if (!options.network) {
    throw new RangeError("predictNoise needs a session with a network");
  }
  checkIndexArray("t", t, nTimesteps);
  if (xt.length !== t.length * options.length) {
    throw new RangeError(
      `xt must hold ${t.length} signals of length ${options.length}, got ${xt.length} values`,
    );
  }
}

/** Checks a reverse call; returns nSamples. */
export function checkReverse(
  x: Float64Array,
  length: number,
  T: number,
  steps: readonly ReverseStep[],
  options: ReverseOptions,
  hasNetwork: boolean,
): number {
  if (x.length % length !== 0) {
    throw new RangeError(
      `x must hold whole signals of length ${length}, got ${x.length} values`,
    );
  }
  for (const step of steps) {
    if (!(Number.isInteger(step.t) && step.t >= 0 && step.t < T)) {
      throw new RangeError(
        `step t must be an integer in [0, ${T}), got ${step.t}`,
      );
    }
  }
  if (options.source === "model" && !hasNetwork) {
    throw new RangeError(
      "source must be oracle or fresh for a session without a network, got model",
    );
  }
  if (options.source === "oracle" && options.x0?.length !== x.length) {
    throw new RangeError(
      `x0 must hold the ${x.length} values of x for the oracle, got ${options.x0?.length}`,
    );
  }
  const clip = options.clip ?? Infinity;
  if (!(clip > 0)) throw new RangeError(`clip must be > 0, got ${clip}`);
  return x.length / length;
}

/** Checks the arguments of a one-shot q(x_t | x_0). */
export function checkQSample(
  x0: Matrix,
  t: Int32Array,
  noise: Float64Array,
  sqrtAbar: Float64Array,
  sqrtOneMinusAbar: Float64Array,
): void {
  if (x0.data.length !== x0.rows * x0.cols) {
    throw new RangeError(
      `x0.data must have rows * cols = ${x0.rows * x0.cols} values, got ${x0.data.length}`,
    );
  }
  if (t.length !== x0.rows) {
    throw new RangeError(
      `t must have one timestep per row of x0 (${x0.rows}), got ${t.length}`,
    );
  }
  if (noise.length !== x0.data.length) {
    throw new RangeError(
      `noise must have the ${x0.data.length} values of x0, got ${noise.length}`,
    );
  }
  if (sqrtOneMinusAbar.length !== sqrtAbar.length) {
    throw new RangeError(
      `sqrtOneMinusAbar must have the ${sqrtAbar.length} values of sqrtAbar, got ${sqrtOneMinusAbar.length}`,
    );
  }
  checkIndexArray("t", t, sqrtAbar.length);
}

/**
 * Checks a one-shot network call: widths >= 1, params and X (and dOut)
 * of matching sizes.
 */
export function checkNetwork(
  sizes: Int32Array,
  params: Float64Array,
  X: Matrix,
  dOut?: Float64Array,
): void {
  if (sizes.length < 2 || sizes.some((w) => !(Number.isInteger(w) && w >= 1))) {
    throw new RangeError(
      `sizes must hold at least 2 widths, each an integer >= 1, got [${sizes.join(", ")}]`,
    );
  }
  let nParams = 0;
  for (let l = 0; l + 1 < sizes.length; l++)
    nParams += sizes[l + 1] * (sizes[l] + 1);
  if (params.length !== nParams) {
    throw new RangeError(
      `params must hold ${nParams} values, got ${params.length}`,
    );
  }
  if (X.cols !== sizes[0] || X.data.length !== X.rows * X.cols) {
    throw new RangeError(
      `X must have sizes[0] = ${sizes[0]} columns, got ${X.cols}`,
    );
  }
  const nOut = X.rows * sizes[sizes.length - 1];
  if (dOut && dOut.length !== nOut) {
    throw new RangeError(`dOut must hold ${nOut} values, got ${dOut.length}`);
  }
}
