/**
 * Noise schedules of a diffusion process: the betas and every quantity the
 * forward and reverse processes derive from them, precomputed once.
 * Timesteps are 0-based: t = 0 is the first noising step and t = T - 1 the
 * last, so x_t has seen betas 0..t.
 */
import { checkInteger, checkNumber } from "../models/validation.js";

/** The schedules by name. */
export const SCHEDULE_KINDS = ["linear", "cosine", "quadratic"] as const;
/** Which family of betas. */
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** The course's (and DDPM's) linear betas run from 1e-4 to 0.02. */
export const BETA_START = 1e-4;
export const BETA_END = 0.02;
/** Nichol & Dhariwal's offset s and largest beta for the cosine schedule. */
const COSINE_OFFSET = 0.008;
const COSINE_MAX_BETA = 0.999;

/** A schedule with everything derived from its T betas (arrays of length T). */
export interface Schedule {
  readonly kind: ScheduleKind | "custom";
  /** T, the number of diffusion steps */
  readonly nTimesteps: number;
  readonly betas: Float64Array;
  /** alpha_t = 1 - beta_t */
  readonly alphas: Float64Array;
  /** abar_t = prod_{s <= t} alpha_s */
  readonly alphasCumprod: Float64Array;
  /** abar_{t-1}, with abar_{-1} = 1 */
  readonly alphasCumprodPrev: Float64Array;
  readonly sqrtAlphasCumprod: Float64Array;
  readonly sqrtOneMinusAlphasCumprod: Float64Array;
  /** beta_t (1 - abar_{t-1}) / (1 - abar_t): Var q(x_{t-1} | x_t, x_0) */
  readonly posteriorVariance: Float64Array;
  /** weight of x_0 in the posterior mean: beta_t sqrt(abar_{t-1}) / (1 - abar_t) */
  readonly posteriorMeanCoef1: Float64Array;
  /** weight of x_t: sqrt(alpha_t) (1 - abar_{t-1}) / (1 - abar_t) */
  readonly posteriorMeanCoef2: Float64Array;
}

/** Options of {@link makeSchedule}. */
export interface ScheduleOptions {
  /** first beta of linear and quadratic schedules; default 1e-4 */
  betaStart?: number;
  /** last beta of linear and quadratic schedules; default 0.02 */
  betaEnd?: number;
}

/** `n` evenly spaced values from a to b inclusive (numpy's linspace). */
function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return out;
}

/**
 * The betas of a named schedule over `nTimesteps` steps: linear from
 * betaStart to betaEnd; quadratic, the square of a linear ramp from
 * sqrt(betaStart) to sqrt(betaEnd); cosine (Nichol & Dhariwal 2021, eq. 17),
 * beta_t = min(1 - f(t+1)/f(t), 0.999) with f(t) = cos²(((t/T + s)/(1 + s)) π/2),
 * s = 0.008.
 * @throws RangeError for an unknown kind, T < 1, or betas outside (0, 1)
 */
/**
 * Most diffusion steps a schedule may have. Samplers and the time
 * embedding hold T-sized tables (T x 32 for the embedding); DDPM itself
 * used 1000 steps.
 */
export const MAX_TIMESTEPS = 10_000;

export function scheduleBetas(
  kind: ScheduleKind,
  nTimesteps: number,
  options: ScheduleOptions = {},
): Float64Array {
  checkKind(kind);
  checkInteger("nTimesteps", nTimesteps, 1);
  if (nTimesteps > MAX_TIMESTEPS) {
    throw new RangeError(
      `nTimesteps must be at most ${MAX_TIMESTEPS}, got ${nTimesteps}`,
    );
  }
  const { betaStart = BETA_START, betaEnd = BETA_END } = options;
  checkNumber("betaStart", betaStart);
  checkNumber("betaEnd", betaEnd);
  if (kind === "linear") return linspace(betaStart, betaEnd, nTimesteps);
  if (kind === "quadratic") {
    return linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), nTimesteps).map(
      (r) => r * r,
    );
  }
  const f = (t: number) =>
    Math.cos(
      ((t / nTimesteps + COSINE_OFFSET) / (1 + COSINE_OFFSET)) * (Math.PI / 2),
    ) ** 2;
  const betas = new Float64Array(nTimesteps);
  for (let t = 0; t < nTimesteps; t++) {
    betas[t] = Math.min(1 - f(t + 1) / f(t), COSINE_MAX_BETA);
  }
  return betas;
}

function checkKind(kind: unknown): asserts kind is ScheduleKind {
  if (!SCHEDULE_KINDS.includes(kind as ScheduleKind)) {
    throw new RangeError(
      `schedule must be one of ${SCHEDULE_KINDS.join(", ")}, got ${JSON.stringify(kind)}`,
    );
  }
}

/**
 * A named schedule with its derived arrays.
 * @throws RangeError as {@link scheduleBetas}
 */
export function makeSchedule(
  kind: ScheduleKind,
  nTimesteps: number,
  options: ScheduleOptions = {},
): Schedule {
  return scheduleFromBetas(scheduleBetas(kind, nTimesteps, options), kind);
}

/**
 * A schedule from explicit betas (copied).
 * @throws RangeError when there are no betas or one is not in (0, 1)
 */
export function scheduleFromBetas(
  betas: ArrayLike<number>,
  kind: ScheduleKind | "custom" = "custom",
): Schedule {
  const T = betas.length;
  if (T < 1)
    throw new RangeError(`betas must hold at least 1 value (T >= 1), got ${T}`);
  for (let t = 0; t < T; t++) {
    if (!(betas[t] > 0 && betas[t] < 1)) {
      throw new RangeError(`betas[${t}] must be in (0, 1), got ${betas[t]}`);
    }
  }
  const b = Float64Array.from(betas);
  const alphas = b.map((beta) => 1 - beta);
  // 1 - abar_t accumulated as (1 - abar_{t-1}) + abar_{t-1} beta_t, not as
  // 1 - abar_t, which would cancel to a few digits while abar_t is near 1.
  const abar = new Float64Array(T);
  const abarPrev = new Float64Array(T);
  const oneMinus = new Float64Array(T);
  let prod = 1;
  let rest = 0;
  for (let t = 0; t < T; t++) {
    abarPrev[t] = prod;
    rest += prod * b[t];
    prod *= alphas[t];
    abar[t] = prod;
    oneMinus[t] = rest;
  }
  const variance = new Float64Array(T);
  const coef1 = new Float64Array(T);
  const coef2 = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const restPrev = t === 0 ? 0 : oneMinus[t - 1];
    variance[t] = (b[t] * restPrev) / oneMinus[t];
    coef1[t] = (b[t] * Math.sqrt(abarPrev[t])) / oneMinus[t];
    coef2[t] = (Math.sqrt(alphas[t]) * restPrev) / oneMinus[t];
  }
  return {
    kind,
    nTimesteps: T,
    betas: b,
    alphas,
    alphasCumprod: abar,
    alphasCumprodPrev: abarPrev,
    sqrtAlphasCumprod: abar.map(Math.sqrt),
    sqrtOneMinusAlphasCumprod: oneMinus.map(Math.sqrt),
    posteriorVariance: variance,
    posteriorMeanCoef1: coef1,
    posteriorMeanCoef2: coef2,
  };
}

/**
 * `nSteps` inference timesteps evenly spaced from T - 1 down to 0, both
 * included (round((T - 1) i / (nSteps - 1)) for i = nSteps - 1 .. 0), so
 * the sampler starts at the last trained step and never at T; nSteps = 1
 * gives [T - 1]. Distinct because the spacing is at least 1.
 * @throws RangeError unless 1 <= nSteps <= T
 */
export function inferenceTimesteps(
  nTimesteps: number,
  nSteps: number,
): Int32Array {
  checkInteger("nTimesteps", nTimesteps, 1);
  checkInteger("samplingSteps", nSteps, 1);
  if (nSteps > nTimesteps) {
    throw new RangeError(
      `samplingSteps must be at most the ${nTimesteps} diffusion steps, got ${nSteps}`,
    );
  }
  const out = new Int32Array(nSteps);
  for (let i = 0; i < nSteps; i++) {
    const k = nSteps - 1 - i;
    out[i] =
      nSteps === 1
        ? nTimesteps - 1
        : Math.round(((nTimesteps - 1) * k) / (nSteps - 1));
  }
  return out;
}
