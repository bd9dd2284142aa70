import { describe, expect, it } from "vitest";
import { NoisePredictor } from "../../src/diffusion/model.js";
import { meanSineResidual, sineFit } from "../../src/diffusion/quality.js";
import { makeSines, parseSignalsCsv } from "../../src/diffusion/signals.js";
import {
  denoisingLoss,
  trainNoisePredictor,
} from "../../src/diffusion/train.js";
import { DataError } from "../../src/errors.js";
import { Rng } from "../../src/kernels/rng.js";

// A small network and a short run keep this file under a few seconds.
const NET = { hiddenSizes: [32, 32], embedDim: 8, nTimesteps: 20 };
const SMALL = { ...NET, epochs: 40, batchSize: 32 };

describe("trainNoisePredictor", () => {
  const data = makeSines(256, 1, 24);
  const heldOut = makeSines(64, 2, 24);

  it("a trained model beats the untrained one on held-out denoising loss", () => {
    const { model, losses } = trainNoisePredictor(data, { ...SMALL, seed: 3 });
    // The same scalings untrained are already the best linear estimate of
    // eps plus a damped random term (about 0.44 here, against 1.08 for a
    // bare untrained network), so the margin is smaller than it would be.
    const untrained = new NoisePredictor({
      ...NET,
      length: 24,
      seed: 3,
      sigmaData: model.sigmaData,
    });
    const trained = denoisingLoss(model, heldOut);
    expect(trained).toBeLessThan(0.9 * denoisingLoss(untrained, heldOut));
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
  });

  it("when seeded then training is reproducible on a backend, and wasm and ts agree to 1e-9", () => {
    const opts = { ...SMALL, epochs: 2, seed: 9 };
    const a = trainNoisePredictor(data, opts).model.params;
    const b = trainNoisePredictor(data, opts).model.params;
    expect(a).toEqual(b);
    // Same batches, t and noise (bit-identical generators); the network's
    // sums and exp differ in the last bits, which 16 Adam steps keep small.
    const c = trainNoisePredictor(data, { ...opts, backend: "ts" }).model
      .params;
    let worst = 0;
    for (let k = 0; k < a.length; k++)
      worst = Math.max(worst, Math.abs(a[k] - c[k]));
    expect(worst).toBeLessThan(1e-9);
  });

  it("rejects bad options with the option's name", () => {
    expect(() => trainNoisePredictor(data, { epochs: 0 })).toThrow(
      "epochs must be an integer >= 1, got 0",
    );
    expect(() => trainNoisePredictor(data, { lr: 1 } as never)).toThrow(
      /has no option "lr"/,
    );
  });
});

describe("NoisePredictor.sample", () => {
  it("samples of a trained model fit a sine far better than pure noise, with ddpm and ddim", () => {
    // About 4 s: 2,400 Adam steps on a 32-value signal. Before the network
    // was preconditioned the default model's samples left 0.48 of noise's
    // residual (0.443 against 0.925); this one leaves about 0.13.
    const L = 32;
    const { model } = trainNoisePredictor(makeSines(1024, 4, L), {
      hiddenSizes: [64, 64],
      embedDim: 16,
      nTimesteps: 50,
      epochs: 150,
      seed: 5,
    });
    const noise = meanSineResidual(new Rng(2).fillNormal(32 * L), L).residual;
    for (const sampler of ["ddpm", "ddim"] as const) {
      const x = model.sample({ n: 32, sampler, seed: 1 });
      expect(meanSineResidual(x.data, L).residual).toBeLessThan(0.25 * noise);
    }
  }, 60_000);

  it("when preconditioned then wasm and ts draw the same samples to 1e-9", () => {
    const { model } = trainNoisePredictor(makeSines(64, 1, 24), {
      ...SMALL,
      epochs: 2,
      seed: 2,
    });
    const ts = NoisePredictor.fromJSON(model.toJSON(), "ts");
    expect(ts.precondition).toBe(true);
    for (const sampler of ["ddpm", "ddim"] as const) {
      const a = model.sample({ n: 3, sampler, seed: 4 }).data;
      const b = ts.sample({ n: 3, sampler, seed: 4 }).data;
      let worst = 0;
      for (let k = 0; k < a.length; k++)
        worst = Math.max(worst, Math.abs(a[k] - b[k]));
      expect(worst).toBeLessThan(1e-9);
    }
  });
});

describe("NoisePredictor JSON", () => {
  it("round-trips through JSON text with identical predictions", () => {
    const model = new NoisePredictor({
      hiddenSizes: [8],
      embedDim: 4,
      nTimesteps: 10,
      length: 6,
      schedule: "quadratic",
    });
    const copy = NoisePredictor.fromJSON(
      JSON.parse(JSON.stringify(model.toJSON())),
    );
    const xt = [[0.1, 0.2, -0.3, 0.4, 0.5, -0.6]];
    expect(copy.predictNoise(xt, [7])).toEqual(model.predictNoise(xt, [7]));
    expect(copy.schedule.betas).toEqual(model.schedule.betas);
  });

  it("when a file predates preconditioning then it loads as a bare network", () => {
    const json = new NoisePredictor({
      hiddenSizes: [4],
      embedDim: 2,
      nTimesteps: 3,
      length: 3,
    }).toJSON();
    const { precondition: _p, sigmaData: _s, ...old } = json;
    expect(NoisePredictor.fromJSON(old)).toMatchObject({
      precondition: false,
      sigmaData: 1,
    });
    expect(NoisePredictor.fromJSON(json)).toMatchObject({
      precondition: true,
      sigmaData: 1,
    });
  });

  it("rejects what is not a saved model", () => {
    const json = new NoisePredictor({
      hiddenSizes: [4],
      embedDim: 2,
      nTimesteps: 3,
      length: 3,
    }).toJSON();
    expect(() => NoisePredictor.fromJSON([])).toThrow(
      new TypeError("model must be a JSON object, got an array of length 0"),
    );
    expect(() => NoisePredictor.fromJSON({ ...json, params: [1] })).toThrow(
      /model params must hold \d+ values/,
    );
    expect(() =>
      NoisePredictor.fromJSON({ ...json, schedule: "zigzag" }),
    ).toThrow(/schedule must be one of/);
  });
});

describe("sineFit", () => {
  it("finds a clean sine exactly and leaves most of pure noise unexplained", () => {
    const y = Array.from(
      { length: 100 },
      (_, j) => 1.3 * Math.sin((2 * Math.PI * 2.37 * j) / 99 + 1) + 0.2,
    );
    const fit = sineFit(y);
    expect(fit.residual).toBeLessThan(1e-4);
    expect(fit.cycles).toBeCloseTo(2.37, 2);
    expect(fit.amplitude).toBeCloseTo(1.3, 2);
    const noise = meanSineResidual(new Rng(1).fillNormal(3000), 100);
    expect(noise.unexplained).toBeGreaterThan(0.85);
  });
});

describe("parseSignalsCsv", () => {
  it("reads one signal per row, skipping a header and blank lines", () => {
    const X = parseSignalsCsv("a,b,c\n1,2,3\n\n4,5,6\n");
    expect(X).toEqual({
      rows: 2,
      cols: 3,
      data: Float64Array.of(1, 2, 3, 4, 5, 6),
    });
  });

  it("rejects ragged rows and non-numbers with the line", () => {
    expect(() => parseSignalsCsv("1,2,3\n4,5\n", "s.csv")).toThrow(
      new DataError("s.csv line 2: every signal must have 3 values, got 2"),
    );
    expect(() => parseSignalsCsv("1,2\n3,NaN\n", "s.csv")).toThrow(
      's.csv line 2: value 2 must be a finite number, got "NaN"',
    );
    expect(() => parseSignalsCsv("x,y\n", "s.csv")).toThrow(
      "s.csv must hold at least 1 signal, got none",
    );
  });
});
