/**
 * Differential privacy for FedAvg in the style of DP-FedAvg (McMahan et
 * al., "Learning Differentially Private Recurrent Language Models", ICLR
 * 2018): each client clips its update to an L2 norm of at most S, and the
 * coordinator adds Gaussian noise of standard deviation z * S * max_k w_k
 * to the weighted mean, where z is the noise multiplier and w_k = n_k / N
 * the clients' weights (max_k w_k S bounds how far one client can move
 * the mean). Turning z into an (epsilon, delta) guarantee needs a privacy
 * accountant, which is not implemented; the noise multiplier is reported.
 */
import { Rng } from "../kernels/rng.js";
import { paramsNorm, type NamedParams } from "./params.js";

/**
 * Scales `update` in place so that its L2 norm is at most `clipNorm`.
 * @returns the norm before clipping
 */
export function clipUpdate(update: NamedParams, clipNorm: number): number {
  const norm = paramsNorm(update);
  if (norm > clipNorm) {
    const f = clipNorm / norm;
    for (const t of Object.values(update)) {
      for (let k = 0; k < t.values.length; k++) t.values[k] *= f;
    }
  }
  return norm;
}

/**
 * Adds N(0, sigma^2) to every entry of `params`, in place, drawing from
 * `rng` in sorted name order (so the noise depends on the seed only).
 */
export function addGaussianNoise(
  params: NamedParams,
  sigma: number,
  rng: Rng,
): void {
  for (const name of Object.keys(params).sort()) {
    const v = params[name].values;
    const noise = rng.fillNormal(v.length);
    for (let k = 0; k < v.length; k++) v[k] += sigma * noise[k];
  }
}
