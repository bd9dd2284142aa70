/**
 * Reverse-process samplers as plans: one {@link ReverseStep} per inference
 * timestep, with the scalar coefficients the step kernels take. The
 * backends run the plans (src/wasm/diffusion.ts, src/kernels/diffusion.ts).
 */
import { checkNumber } from "../models/validation.js";
import { inferenceTimesteps, type Schedule } from "./schedule.js";

/** The reverse samplers by name. */
export const SAMPLERS = ["ddpm", "ddim"] as const;
export type SamplerName = (typeof SAMPLERS)[number];
/** DDPM's two fixed variances (Ho et al. 2020, sec. 3.2). */
export const VARIANCES = ["small", "large"] as const;
export type VarianceKind = (typeof VARIANCES)[number];

/**
 * One step x_t -> x_s of a reverse process. Both samplers first estimate
 * x0 = (x_t - sqrtOneMinusAbar eps) / sqrtAbar; DDPM then returns
 * c1 x0 + c2 x_t + sigma z, DDIM c1 x0 + c2 eps + sigma z.
 */
export interface ReverseStep {
  /** timestep of x_t (the model's input), in [0, T) */
  readonly t: number;
  readonly sampler: SamplerName;
  readonly sqrtAbar: number;
  readonly sqrtOneMinusAbar: number;
  readonly c1: number;
  readonly c2: number;
  /** standard deviation of the fresh noise z; 0 on the last step */
  readonly sigma: number;
}

/** Options of {@link reversePlan}. */
export interface ReversePlanOptions {
  /** default "ddpm" */
  sampler?: SamplerName;
  /** inference steps in [1, T], evenly spaced from T - 1 to 0; default T */
  samplingSteps?: number;
  /** DDPM: posterior variance ("small", default) or beta ("large") */
  variance?: VarianceKind;
  /** DDIM: 0 (default) is deterministic, 1 has DDPM's small variance */
  eta?: number;
}

/**
 * The steps of a reverse process over `schedule`. For consecutive
 * timesteps DDPM uses the schedule's precomputed posterior coefficients;
 * for strided ones it uses the same formulas with beta_{t|s} =
 * 1 - abar_t / abar_s (the respaced process of Nichol & Dhariwal 2021).
 * @throws RangeError for an unknown sampler or variance, samplingSteps
 *   outside [1, T], or eta < 0
 */
export function reversePlan(
  schedule: Schedule,
  options: ReversePlanOptions = {},
): ReverseStep[] {
  const {
    sampler = "ddpm",
    samplingSteps = schedule.nTimesteps,
    variance = "small",
    eta = 0,
  } = options;
  checkChoice("sampler", sampler, SAMPLERS);
  checkChoice("variance", variance, VARIANCES);
  checkNumber("eta", eta);
  if (!(eta >= 0 && eta < Infinity)) {
    throw new RangeError(`eta must be a finite number >= 0, got ${eta}`);
  }
  const times = inferenceTimesteps(schedule.nTimesteps, samplingSteps);
  const abar = schedule.alphasCumprod;
  return Array.from(times, (t, i) => {
    const s = i + 1 < times.length ? times[i + 1] : -1;
    const common = {
      t,
      sampler,
      sqrtAbar: schedule.sqrtAlphasCumprod[t],
      sqrtOneMinusAbar: schedule.sqrtOneMinusAlphasCumprod[t],
    };
    const abarS = s < 0 ? 1 : abar[s];
    if (sampler === "ddim") {
      const sigma =
        eta *
        Math.sqrt((1 - abarS) / (1 - abar[t])) *
        Math.sqrt(1 - abar[t] / abarS);
      const c2 = Math.sqrt(Math.max(0, 1 - abarS - sigma * sigma));
      return { ...common, c1: Math.sqrt(abarS), c2, sigma };
    }
    if (s === t - 1) {
      const v =
        variance === "small"
          ? schedule.posteriorVariance[t]
          : schedule.betas[t];
      return {
        ...common,
        c1: schedule.posteriorMeanCoef1[t],
        c2: schedule.posteriorMeanCoef2[t],
        sigma: s < 0 ? 0 : Math.sqrt(v),
      };
    }
    const beta = 1 - abar[t] / abarS;
    const v =
      variance === "small" ? (beta * (1 - abarS)) / (1 - abar[t]) : beta;
    return {
      ...common,
      c1: (Math.sqrt(abarS) * beta) / (1 - abar[t]),
      c2: (Math.sqrt(abar[t] / abarS) * (1 - abarS)) / (1 - abar[t]),
      sigma: s < 0 ? 0 : Math.sqrt(v),
    };
  });
}

function checkChoice<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(value as T)) {
    throw new RangeError(
      `${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}
