/**
 * The course's synthetic three-modality problem: "image", "text" and
 * "audio" blocks of 10, 8 and 6 independent standard normal features. With
 * the blocks stacked side by side (24 columns), the label is
 *   y = [ sum(columns 0-4) + sum(columns 10-14) + 0.5 * noise > 0 ],
 * i.e. five image features and five text features carry the signal and
 * the audio block carries none.
 */
import { Rng } from "../kernels/rng.js";
import type { MultiViewDataset } from "./dataset.js";
import { matrix } from "./matrix.js";

/** Options of {@link makeMultimodal}. */
export interface MultimodalOptions {
  /** number of samples; default 1000 */
  nSamples?: number;
  /** seed of the generator; default 42 */
  seed?: number;
  /** standard deviation of the label noise; default 0.5 */
  noise?: number;
}

/** Feature counts of the three modalities, as in the course. */
export const SYNTHETIC_MODALITIES = [
  { name: "image", nFeatures: 10 },
  { name: "text", nFeatures: 8 },
  { name: "audio", nFeatures: 6 },
] as const;

/**
 * Generates the three modalities and binary labels (0/1). Draw order:
 * image (row-major), text, audio, then the label noise, all from one
 * xoshiro128** stream, so a seed always gives the same data.
 * @throws RangeError for nSamples < 1 or a negative noise
 */
export function makeMultimodal(
  options: MultimodalOptions = {},
): MultiViewDataset {
  const { nSamples = 1000, seed = 42, noise = 0.5 } = options;
  if (!Number.isInteger(nSamples) || nSamples < 1) {
    throw new RangeError(`nSamples must be an integer >= 1, got ${nSamples}`);
  }
  if (!Number.isFinite(noise) || noise < 0) {
    throw new RangeError(`noise must be a finite number >= 0, got ${noise}`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer, got ${seed}`);
  }
  const rng = new Rng(seed);
  const modalities = SYNTHETIC_MODALITIES.map(({ name, nFeatures }) => ({
    name,
    X: matrix(nSamples, nFeatures, rng.fillNormal(nSamples * nFeatures)),
  }));
  const eps = rng.fillNormal(nSamples);

  const [image, text] = modalities;
  const y: number[] = new Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    let s = noise * eps[i];
    for (let j = 0; j < 5; j++) {
      s += image.X.data[i * 10 + j] + text.X.data[i * 8 + j];
    }
    y[i] = s > 0 ? 1 : 0;
  }
  return { name: "synthetic", modalities, y };
}
