/**
 * Training a {@link NoisePredictor} on signals: minibatch Adam on the
 * noise-prediction loss E ||eps - eps_theta(x_t, t)||^2 (Ho et al. 2020,
 * Algorithm 1), with the data, the network and the optimiser resident in
 * the backend for the whole run; and the held-out denoising loss.
 */
import { getBackend } from "../backend.js";
import type { Matrix } from "../data/matrix.js";
import { Rng } from "../kernels/rng.js";
import {
  checkInteger,
  checkOptions,
  checkPositive,
} from "../models/validation.js";
import {
  NoisePredictor,
  PREDICTOR_OPTIONS,
  type NoisePredictorOptions,
} from "./model.js";

/** Options of {@link trainNoisePredictor}. */
export interface TrainOptions extends NoisePredictorOptions {
  /** passes over the signals; default 240 */
  epochs?: number;
  /** signals per step; default 64 */
  batchSize?: number;
  /**
   * Adam's peak step size: reached by a linear warm-up over the first
   * `warmupSteps` steps, then decayed by a cosine to 10% of it; default 2e-3
   */
  learningRate?: number;
  /** steps of the learning rate's linear warm-up; default 100 */
  warmupSteps?: number;
  /**
   * decay of the exponential moving average of the weights that the
   * returned model holds (0 keeps the last weights); default 0.999
   */
  emaDecay?: number;
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

const TRAIN_OPTIONS = [
  "epochs",
  "batchSize",
  "learningRate",
  "warmupSteps",
  "emaDecay",
  "onEpoch",
] as const;

/**
 * Trains a new model on `signals` (nSignals x length). The seed fixes the
 * initial weights, the batch order and every t and eps drawn, so a run is
 * reproducible on the same backend.
 * @throws TypeError / RangeError for bad options or signals
 */
export function trainNoisePredictor(
  signals: Matrix,
  options: TrainOptions = {},
): TrainResult {
  const o = checkOptions("options", options, [
    ...TRAIN_OPTIONS,
    ...PREDICTOR_OPTIONS,
  ]) as TrainOptions;
  const {
    epochs = 240,
    batchSize = 64,
    learningRate = 2e-3,
    warmupSteps = 100,
    emaDecay = 0.999,
    onEpoch,
    ...modelOptions
  } = o;
  checkInteger("epochs", epochs, 1);
  checkInteger("batchSize", batchSize, 1);
  checkPositive("learningRate", learningRate);
  checkInteger("warmupSteps", warmupSteps, 0);
  checkDecay(emaDecay);
  checkSignals(signals);
  const model = new NoisePredictor({
    ...modelOptions,
    length: signals.cols,
    sigmaData: modelOptions.sigmaData ?? rms(signals.data),
  });
  const seed = modelOptions.seed ?? 0;
  const rng = new Rng(seed + 1);
  const n = signals.rows;
  const perEpoch = Math.ceil(n / batchSize);
  const total = epochs * perEpoch;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const losses: number[] = [];
  const average = model.params.slice();
  const t0 = performance.now();
  const session = model.session(signals, seed + 2);
  let step = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      rng.shuffle(order);
      let sum = 0;
      for (let b = 0; b < n; b += batchSize) {
        const lr = learningRate * rateFactor(step, total, warmupSteps);
        sum += session.trainStep(
          order.subarray(b, Math.min(n, b + batchSize)),
          lr,
        );
        step++;
        // The usual EMA warm-up: early averages forget the initial weights fast.
        if (emaDecay > 0) {
          session.averageParams(
            average,
            Math.min(emaDecay, (1 + step) / (10 + step)),
          );
        }
      }
      losses.push(sum / perEpoch);
      onEpoch?.(epoch, sum / perEpoch);
    }
    model.params = emaDecay > 0 ? average : session.params();
  } finally {
    session.dispose();
  }
  return {
    model,
    losses,
    nSteps: step,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The learning rate's factor at `step` of `total`: a linear warm-up from
 * 1/warmup to 1, then a cosine from 1 down to 0.1 at the last step.
 */
function rateFactor(step: number, total: number, warmup: number): number {
  if (step < warmup) return (step + 1) / warmup;
  const progress = total > warmup ? (step - warmup) / (total - warmup) : 1;
  return 0.1 + 0.45 * (1 + Math.cos(Math.PI * progress));
}

/** Root mean square of the values (the data's scale for preconditioning). */
function rms(values: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k] * values[k];
  return Math.sqrt(sum / values.length) || 1;
}

function checkDecay(decay: number): void {
  if (!(typeof decay === "number" && decay >= 0 && decay < 1)) {
    throw new RangeError(`emaDecay must be a number in [0, 1), got ${decay}`);
  }
}

function checkSignals(signals: Matrix): void {
  if (signals.rows < 1 || signals.cols < 2) {
    throw new RangeError(
      `signals must hold at least 1 signal of at least 2 values, got ${signals.rows} x ${signals.cols}`,
    );
  }
  for (let k = 0; k < signals.data.length; k++) {
    if (!Number.isFinite(signals.data[k])) {
      throw new RangeError(
        `signals must be finite, got ${signals.data[k]} at row ${Math.floor(k / signals.cols)}`,
      );
    }
  }
}

/**
 * Held-out denoising loss: mean over the rows of `signals` of
 * ||eps - eps_theta(x_t, t)||^2 / length, with t uniform on [0, T) and eps
 * standard normal drawn from `seed` (the same draws for every model with
 * the same T and length, so models compare on equal terms).
 */
export function denoisingLoss(
  model: NoisePredictor,
  signals: Matrix,
  seed = 12345,
): number {
  const n = signals.rows;
  const T = model.schedule.nTimesteps;
  const rng = new Rng(seed);
  const t = Int32Array.from({ length: n }, () => rng.int(T));
  const noise = rng.fillNormal(n * signals.cols);
  const xt = getBackend(model.backend).diffusionQSample(
    signals,
    t,
    noise,
    model.schedule.sqrtAlphasCumprod,
    model.schedule.sqrtOneMinusAlphasCumprod,
  );
  const eps = model.predictNoise({ rows: n, cols: signals.cols, data: xt }, t);
  let sum = 0;
  for (let k = 0; k < eps.length; k++) sum += (eps[k] - noise[k]) ** 2;
  return sum / eps.length;
}
