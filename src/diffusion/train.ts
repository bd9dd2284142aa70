/**
 * Training a {@link NoisePredictor} on signals: minibatch Adam on the
 * noise-prediction loss E ||eps - eps_theta(x_t, t)||^2 (Ho et al. 2020,
 * Algorithm 1), with the data, the network and the optimiser resident in
 * the backend for the whole run; and the held-out denoising loss.
 */
import { getBackend } from "../backend.js";
import type { Matrix } from "../data/matrix.js";
import { Rng } from "../kernels/rng.js";
import { checkInteger, checkOptions, checkPositive } from "../models/validation.js";
import { NoisePredictor, type NoisePredictorOptions } from "./model.js";

/** Options of {@link trainNoisePredictor}. */
export interface TrainOptions extends NoisePredictorOptions {
  /** passes over the signals; default 60 */
  epochs?: number;
  /** signals per step; default 64 */
  batchSize?: number;
  /** Adam's step size, decayed by a cosine to 10% of it; default 2e-3 */
  learningRate?: number;
  /** called after each epoch with its number (1-based) and mean loss */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** What {@link trainNoisePredictor} returns. */
export interface TrainResult {
  model: NoisePredictor;
  /** mean batch loss of each epoch */
  losses: number[];
  /** Adam steps taken */
  nSteps: number;
  seconds: number;
}

const TRAIN_OPTIONS = ["epochs", "batchSize", "learningRate", "onEpoch"] as const;

/**
 * Trains a new model on `signals` (nSignals x length). The seed fixes the
 * initial weights, the batch order and every t and eps drawn, so a run is
 * reproducible on the same backend.
 * @throws TypeError / RangeError for bad options or signals
 */
export function trainNoisePredictor(signals: Matrix, options: TrainOptions = {}): TrainResult {
  const o = checkOptions("options", options, [
    ...TRAIN_OPTIONS,
    "length", "hiddenSizes", "embedDim", "schedule", "nTimesteps", "betaStart",
    "betaEnd", "backend", "seed",
  ]) as TrainOptions;
  const { epochs = 60, batchSize = 64, learningRate = 2e-3, onEpoch, ...modelOptions } = o;
  checkInteger("epochs", epochs, 1);
  checkInteger("batchSize", batchSize, 1);
  checkPositive("learningRate", learningRate);
  checkSignals(signals);
  const model = new NoisePredictor({ ...modelOptions, length: signals.cols });
  const seed = modelOptions.seed ?? 0;
  const rng = new Rng(seed + 1);
  const n = signals.rows;
  const perEpoch = Math.ceil(n / batchSize);
  const total = epochs * perEpoch;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const losses: number[] = [];
  const t0 = performance.now();
  const session = model.session(signals, seed + 2);
  let step = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      rng.shuffle(order);
      let sum = 0;
      for (let b = 0; b < n; b += batchSize) {
        const lr = learningRate * (0.1 + 0.45 * (1 + Math.cos((Math.PI * step) / total)));
        sum += session.trainStep(order.subarray(b, Math.min(n, b + batchSize)), lr);
        step++;
      }
      losses.push(sum / perEpoch);
      onEpoch?.(epoch, sum / perEpoch);
    }
    model.params = session.params();
  } finally {
    session.dispose();
  }
  return { model, losses, nSteps: step, seconds: (performance.now() - t0) / 1000 };
}

function checkSignals(signals: Matrix): void {
  if (signals.rows < 1 || signals.cols < 2) {
    throw new RangeError(
      `signals must hold at least 1 signal of at least 2 values, got ${signals.rows} x ${signals.cols}`,
    );
  }
  for (let k = 0; k < signals.data.length; k++) {
    if (!Number.isFinite(signals.data[k])) {
      throw new RangeError(`signals must be finite, got ${signals.data[k]} at row ${Math.floor(k / signals.cols)}`);
    }
  }
}

/**
 * Held-out denoising loss: mean over the rows of `signals` of
 * ||eps - eps_theta(x_t, t)||^2 / length, with t uniform on [0, T) and eps
 * standard normal drawn from `seed` (the same draws for every model with
 * the same T and length, so models compare on equal terms).
 */
export function denoisingLoss(model: NoisePredictor, signals: Matrix, seed = 12345): number {
  const n = signals.rows;
  const T = model.schedule.nTimesteps;
  const rng = new Rng(seed);
  const t = Int32Array.from({ length: n }, () => rng.int(T));
  const noise = rng.fillNormal(n * signals.cols);
  const xt = getBackend(model.backend).diffusionQSample(
    signals, t, noise, model.schedule.sqrtAlphasCumprod, model.schedule.sqrtOneMinusAlphasCumprod,
  );
  const eps = model.predictNoise({ rows: n, cols: signals.cols, data: xt }, t);
  let sum = 0;
  for (let k = 0; k < eps.length; k++) sum += (eps[k] - noise[k]) ** 2;
  return sum / eps.length;
}
