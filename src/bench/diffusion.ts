/**
 * Benchmark cases for diffusion: the forward process q(x_t | x_0) on a
 * batch, a whole reverse loop with the exact noise, a reverse loop driven
 * by the noise-prediction MLP, and one MLP training step (batch, forward,
 * backward, Adam), each on both backends with its data resident.
 */
import { getBackend, type BackendName } from "../backend.js";
import { NoisePredictor } from "../diffusion/model.js";
import { reversePlan } from "../diffusion/samplers.js";
import { makeSchedule } from "../diffusion/schedule.js";
import type { DiffusionSession } from "../diffusion/session.js";
import { makeSines, SIGNAL_LENGTH } from "../diffusion/signals.js";
import { Rng } from "../kernels/rng.js";
import type { BenchCase } from "./harness.js";

const L = SIGNAL_LENGTH;
const BACKENDS = ["wasm", "ts"] as const;

/** One q(x_t | x_0) over nSignals rows at random t (copies included); rows/s. */
function forwardCase(nSignals: number): BenchCase {
  const schedule = makeSchedule("linear", 50);
  const x0 = makeSines(nSignals, 3);
  const rng = new Rng(4);
  const t = Int32Array.from({ length: nSignals }, () => rng.int(50));
  const noise = rng.fillNormal(nSignals * L);
  const run = (b: BackendName) => () =>
    void getBackend(b).diffusionQSample(
      x0,
      t,
      noise,
      schedule.sqrtAlphasCumprod,
      schedule.sqrtOneMinusAlphasCumprod,
    );
  return {
    kernel: "diffusion-forward",
    size: `${nSignals}x${L}`,
    unit: "rows/s",
    work: nSignals,
    wasm: run("wasm"),
    ts: run("ts"),
  };
}

/** A whole T = 50 DDPM reverse loop with the oracle noise over nSignals rows; rows/s. */
function reverseCase(nSignals: number): BenchCase {
  const schedule = makeSchedule("linear", 50);
  const steps = reversePlan(schedule);
  const x0 = makeSines(nSignals, 3).data;
  const xT = new Rng(5).fillNormal(nSignals * L);
  const sessions: Partial<Record<BackendName, DiffusionSession>> = {};
  const run = (b: BackendName) => () =>
    void sessions[b]!.reverse(xT, steps, { source: "oracle", x0, seed: 1 });
  return {
    kernel: "diffusion-reverse",
    size: `${nSignals}x${L}, T=50`,
    unit: "rows/s",
    work: nSignals,
    setup() {
      for (const b of BACKENDS) {
        sessions[b] = getBackend(b).diffusionSession({
          length: L,
          sqrtAbar: schedule.sqrtAlphasCumprod,
          sqrtOneMinusAbar: schedule.sqrtOneMinusAlphasCumprod,
          seed: 0,
        });
      }
    },
    teardown() {
      for (const b of BACKENDS) sessions[b]?.dispose();
    },
    wasm: run("wasm"),
    ts: run("ts"),
  };
}

/** Sessions of the default-size noise predictor on each backend. */
function modelSessions(withData: boolean) {
  const sessions: Partial<Record<BackendName, DiffusionSession>> = {};
  return {
    sessions,
    setup() {
      const data = withData ? makeSines(1024, 6) : undefined;
      for (const b of BACKENDS) {
        sessions[b] = new NoisePredictor({ backend: b }).session(data, 7);
      }
    },
    teardown() {
      for (const b of BACKENDS) sessions[b]?.dispose();
    },
  };
}

/** One Adam step of the default MLP (132-128-128-100) on a batch; rows/s. */
function trainStepCase(batchSize: number): BenchCase {
  const s = modelSessions(true);
  const indices = Int32Array.from({ length: batchSize }, (_, i) => i);
  const run = (b: BackendName) => () =>
    void s.sessions[b]!.trainStep(indices, 1e-4);
  return {
    kernel: "mlp-train-step",
    size: `batch ${batchSize}, 132-128-128-100`,
    unit: "rows/s",
    work: batchSize,
    setup: s.setup,
    teardown: s.teardown,
    wasm: run("wasm"),
    ts: run("ts"),
  };
}

/** A 100-step DDPM sampling loop through the MLP for nSignals rows; rows/s. */
function sampleCase(nSignals: number): BenchCase {
  const s = modelSessions(false);
  const steps = reversePlan(makeSchedule("cosine", 100));
  const xT = new Rng(8).fillNormal(nSignals * L);
  const run = (b: BackendName) => () =>
    void s.sessions[b]!.reverse(xT, steps, {
      source: "model",
      clip: 3,
      seed: 1,
    });
  return {
    kernel: "diffusion-sample",
    size: `${nSignals}x${L}, T=100`,
    unit: "rows/s",
    work: nSignals,
    setup: s.setup,
    teardown: s.teardown,
    wasm: run("wasm"),
    ts: run("ts"),
    budget: { repeat: 3, minMs: 0, warmupCalls: 1, warmupMs: 0 },
  };
}

/** The diffusion cases; `rows` sets the batch of the forward and reverse loops. */
export function diffusionCases(rows: readonly number[] = [1000]): BenchCase[] {
  return [
    ...rows.map(forwardCase),
    ...rows.map(reverseCase),
    trainStepCase(64),
    sampleCase(16),
  ];
}
