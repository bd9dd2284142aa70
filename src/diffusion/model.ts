/**
 * The noise predictor eps_theta(x_t, t): an MLP on [x_t, embed(t)] with
 * SiLU hidden layers, predicting the noise that made x_t (Ho et al. 2020).
 * It carries its schedule, so a saved model samples with the schedule it
 * was trained on.
 */
import { getBackend, type BackendName } from "../backend.js";
import { describe, toMatrix, type MatrixLike } from "../data/matrix.js";
import { mlpParamCount } from "../kernels/mlp.js";
import { Rng } from "../kernels/rng.js";
import {
  checkBackend,
  checkInteger,
  checkNumber,
  checkOptions,
  checkPositive,
} from "../models/validation.js";
import { reversePlan, type ReversePlanOptions } from "./samplers.js";
import {
  BETA_END,
  BETA_START,
  makeSchedule,
  SCHEDULE_KINDS,
  type Schedule,
  type ScheduleKind,
} from "./schedule.js";
import type { DiffusionSession, Precondition } from "./session.js";
import { SIGNAL_LENGTH } from "./signals.js";
import type { Matrix } from "../data/matrix.js";

/** Options of {@link NoisePredictor}; every one has a default. */
export interface NoisePredictorOptions {
  /** values per signal; default 100 */
  length?: number;
  /** widths of the hidden layers; default [128, 128] */
  hiddenSizes?: number[];
  /** width of the sinusoidal time embedding, even; default 32 */
  embedDim?: number;
  /** default "cosine" */
  schedule?: ScheduleKind;
  /** T, diffusion steps; default 100 */
  nTimesteps?: number;
  /** linear and quadratic schedules only; defaults 1e-4 and 0.02 */
  betaStart?: number;
  betaEnd?: number;
  /**
   * wrap the network in per-timestep input, skip and output scalings
   * (see {@link preconditioning}); default true
   */
  precondition?: boolean;
  /** RMS of the clean signals the scalings assume; default 1 */
  sigmaData?: number;
  /** kernels; default "wasm" */
  backend?: BackendName;
  /** seed of the initial weights; default 0 */
  seed?: number;
}

/** The option names of {@link NoisePredictor}, for unknown-key checks. */
export const PREDICTOR_OPTIONS = [
  "length",
  "hiddenSizes",
  "embedDim",
  "schedule",
  "nTimesteps",
  "betaStart",
  "betaEnd",
  "precondition",
  "sigmaData",
  "backend",
  "seed",
] as const;

/** A saved model: its options and parameters, plain JSON. */
export interface NoisePredictorJSON {
  format: "wasmlearn.NoisePredictor";
  version: 1;
  length: number;
  hiddenSizes: number[];
  embedDim: number;
  schedule: ScheduleKind;
  nTimesteps: number;
  betaStart: number;
  betaEnd: number;
  /** absent in files written before preconditioning: false and 1 */
  precondition?: boolean;
  sigmaData?: number;
  params: number[];
}

/** Options of {@link NoisePredictor.sample}. */
export interface SampleOptions extends ReversePlanOptions {
  /** signals to draw; default 1 */
  n?: number;
  /** clip x0 estimates to [-clip, clip]; default Infinity (off) */
  clip?: number;
  /** seed of x_T and the step noise; default 0 */
  seed?: number;
}

/**
 * Sinusoidal embedding of t = 0..T-1 (Vaswani et al. 2017, sec. 3.5):
 * row t holds sin(t w_k) for k < dim/2, then cos(t w_k), with
 * w_k = 10000^(-k / (dim/2)); T x dim, row-major.
 */
export function timeEmbedding(nTimesteps: number, dim: number): Float64Array {
  const half = dim / 2;
  const out = new Float64Array(nTimesteps * dim);
  for (let t = 0; t < nTimesteps; t++) {
    for (let k = 0; k < half; k++) {
      const w = Math.exp((-Math.log(10000) * k) / half);
      out[t * dim + k] = Math.sin(t * w);
      out[t * dim + half + k] = Math.cos(t * w);
    }
  }
  return out;
}

/**
 * Karras et al.'s (2022, table 1) network scalings, written for a noise
 * predictor: with a = sqrt(abar_t), b = sqrt(1 - abar_t), s = sigmaData
 * and D = a^2 s^2 + b^2 (the variance of x_t for signals of RMS s), the
 * network sees x_t / sqrt(D) and the noise estimate is
 * (b / D) x_t + (a s / sqrt(D)) F. The skip term is the best linear
 * estimate of eps from x_t, and the output scale makes F's target of unit
 * variance at every t: near pure noise F only corrects a small term, where
 * an unscaled network must reproduce its 100-value input through its
 * hidden layers, and the x0 estimate divides its error by a ~ 0.005.
 */
export function preconditioning(
  schedule: Schedule,
  sigmaData: number,
): Precondition {
  const T = schedule.nTimesteps;
  const cIn = new Float64Array(T);
  const cSkip = new Float64Array(T);
  const cOut = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const a = schedule.sqrtAlphasCumprod[t];
    const b = schedule.sqrtOneMinusAlphasCumprod[t];
    const D = a * a * sigmaData * sigmaData + b * b;
    cIn[t] = 1 / Math.sqrt(D);
    cSkip[t] = b / D;
    cOut[t] = (a * sigmaData) / Math.sqrt(D);
  }
  return { cIn, cSkip, cOut };
}

/** A noise-prediction MLP with its schedule; train it with `trainNoisePredictor`. */
export class NoisePredictor {
  readonly length: number;
  readonly hiddenSizes: readonly number[];
  readonly embedDim: number;
  readonly schedule: Schedule;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly precondition: boolean;
  readonly sigmaData: number;
  backend: BackendName;
  /** all weights and biases, layer after layer (W row-major, then b) */
  params: Float64Array;

  /**
   * A freshly initialised model: W ~ N(0, 1/fanIn), b = 0.
   * @throws TypeError for an unknown option or a wrong type
   * @throws RangeError for a value out of range
   */
  constructor(options: NoisePredictorOptions = {}) {
    const o = checkOptions(
      "options",
      options,
      PREDICTOR_OPTIONS,
    ) as NoisePredictorOptions;
    this.length = checkInteger("length", o.length ?? SIGNAL_LENGTH, 2);
    if (this.length > 100_000) {
      throw new RangeError(`length must be at most 100000, got ${this.length}`);
    }
    this.hiddenSizes = checkHiddenSizes(o.hiddenSizes ?? [128, 128]);
    this.embedDim = checkInteger("embedDim", o.embedDim ?? 32, 2);
    if (this.embedDim % 2 !== 0) {
      throw new RangeError(`embedDim must be even, got ${this.embedDim}`);
    }
    this.betaStart = checkNumber("betaStart", o.betaStart ?? BETA_START);
    this.betaEnd = checkNumber("betaEnd", o.betaEnd ?? BETA_END);
    const kind = o.schedule ?? "cosine";
    if (!SCHEDULE_KINDS.includes(kind)) {
      throw new RangeError(
        `schedule must be one of ${SCHEDULE_KINDS.join(", ")}, got ${JSON.stringify(kind)}`,
      );
    }
    this.schedule = makeSchedule(kind, o.nTimesteps ?? 100, {
      betaStart: this.betaStart,
      betaEnd: this.betaEnd,
    });
    this.precondition = o.precondition ?? true;
    if (typeof this.precondition !== "boolean") {
      throw new TypeError(
        `precondition must be a boolean, got ${describe(this.precondition)}`,
      );
    }
    this.sigmaData = checkPositive("sigmaData", o.sigmaData ?? 1);
    this.backend = checkBackend(o.backend ?? "wasm");
    this.params = initParams(
      this.sizes(),
      checkInteger("seed", o.seed ?? 0, 0),
    );
  }

  /** Layer widths: length + embedDim, the hidden sizes, length. */
  sizes(): Int32Array {
    return Int32Array.from([
      this.length + this.embedDim,
      ...this.hiddenSizes,
      this.length,
    ]);
  }

  /** A resident session over this model (and training data, if given). */
  session(data?: Matrix, seed = 0): DiffusionSession {
    return getBackend(this.backend).diffusionSession({
      length: this.length,
      sqrtAbar: this.schedule.sqrtAlphasCumprod,
      sqrtOneMinusAbar: this.schedule.sqrtOneMinusAlphasCumprod,
      network: {
        sizes: this.sizes(),
        params: this.params,
        embedding: timeEmbedding(this.schedule.nTimesteps, this.embedDim),
        embedDim: this.embedDim,
        precondition: this.precondition
          ? preconditioning(this.schedule, this.sigmaData)
          : undefined,
      },
      data,
      seed,
    });
  }

  /**
   * Predicted noise for rows of xt (nSamples x length), row i at
   * timestep t[i]; returns nSamples x length, row-major.
   * @throws RangeError for wrong shapes or timesteps outside [0, T)
   */
  predictNoise(xt: MatrixLike, t: ArrayLike<number>): Float64Array {
    const X = toMatrix(xt, "xt");
    if (X.cols !== this.length) {
      throw new RangeError(
        `xt must have ${this.length} columns, got ${X.cols}`,
      );
    }
    const session = this.session();
    try {
      return session.predictNoise(X.data, Int32Array.from(t));
    } finally {
      session.dispose();
    }
  }

  /**
   * Draws signals by the reverse process from x_T ~ N(0, I), using the
   * network's noise estimate at every step. Returns n x length.
   * @throws RangeError for a bad sampler option
   */
  sample(options: SampleOptions = {}): Matrix {
    const { n = 1, clip = Infinity, seed = 0, ...plan } = options;
    checkInteger("n", n, 1);
    checkInteger("seed", seed, 0);
    const steps = reversePlan(this.schedule, plan);
    const xT = new Rng(seed).fillNormal(n * this.length);
    const session = this.session();
    try {
      const data = session.reverse(xT, steps, {
        source: "model",
        clip,
        seed: seed + 1,
      });
      return { rows: n, cols: this.length, data };
    } finally {
      session.dispose();
    }
  }

  /** Options and parameters as plain JSON. */
  toJSON(): NoisePredictorJSON {
    return {
      format: "wasmlearn.NoisePredictor",
      version: 1,
      length: this.length,
      hiddenSizes: [...this.hiddenSizes],
      embedDim: this.embedDim,
      schedule: this.schedule.kind as ScheduleKind,
      nTimesteps: this.schedule.nTimesteps,
      betaStart: this.betaStart,
      betaEnd: this.betaEnd,
      precondition: this.precondition,
      sigmaData: this.sigmaData,
      params: Array.from(this.params),
    };
  }

  /**
   * A model from {@link NoisePredictor.toJSON}'s output.
   * @throws TypeError when `json` is not such an object
   * @throws RangeError when its fields are out of range or `params` has
   *   the wrong length or a non-finite value
   */
  static fromJSON(
    json: unknown,
    backend: BackendName = "wasm",
  ): NoisePredictor {
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new TypeError(`model must be a JSON object, got ${describe(json)}`);
    }
    const j = json as Partial<NoisePredictorJSON>;
    if (j.format !== "wasmlearn.NoisePredictor" || j.version !== 1) {
      throw new TypeError(
        `model must have format "wasmlearn.NoisePredictor" and version 1, got ${JSON.stringify(j.format)} version ${JSON.stringify(j.version)}`,
      );
    }
    if (!Array.isArray(j.params)) {
      throw new TypeError(
        `model params must be an array, got ${describe(j.params)}`,
      );
    }
    const model = new NoisePredictor({
      length: j.length,
      hiddenSizes: j.hiddenSizes,
      embedDim: j.embedDim,
      schedule: j.schedule,
      nTimesteps: j.nTimesteps,
      betaStart: j.betaStart,
      betaEnd: j.betaEnd,
      precondition: j.precondition ?? false,
      sigmaData: j.sigmaData ?? 1,
      backend,
    });
    if (j.params.length !== model.params.length) {
      throw new RangeError(
        `model params must hold ${model.params.length} values for these layer sizes, got ${j.params.length}`,
      );
    }
    const bad = j.params.findIndex(
      (v) => typeof v !== "number" || !Number.isFinite(v),
    );
    if (bad >= 0) {
      throw new RangeError(
        `model params[${bad}] must be a finite number, got ${JSON.stringify(j.params[bad])}`,
      );
    }
    model.params = Float64Array.from(j.params);
    return model;
  }
}

function checkHiddenSizes(sizes: unknown): number[] {
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw new TypeError(
      `hiddenSizes must be a non-empty array of widths, got ${describe(sizes)}`,
    );
  }
  if (sizes.length > 8) {
    throw new RangeError(
      `hiddenSizes must list at most 8 layers, got ${sizes.length}`,
    );
  }
  sizes.forEach((w, l) => {
    checkInteger(`hiddenSizes[${l}]`, w, 1);
    if (w > 4096)
      throw new RangeError(`hiddenSizes[${l}] must be at most 4096, got ${w}`);
  });
  return [...sizes];
}

/** W ~ N(0, 1/fanIn) (LeCun), b = 0, layer after layer. */
function initParams(sizes: Int32Array, seed: number): Float64Array {
  const params = new Float64Array(mlpParamCount(sizes));
  const rng = new Rng(seed);
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = rng.fillNormal(nIn * nOut);
    const scale = 1 / Math.sqrt(nIn);
    for (let k = 0; k < w.length; k++) params[off + k] = w[k] * scale;
    off += nOut * (nIn + 1);
  }
  return params;
}
