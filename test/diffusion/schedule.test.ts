import { describe, expect, it } from "vitest";
import { getBackend } from "../../src/backend.js";
import { matrix } from "../../src/data/matrix.js";
import { reversePlan } from "../../src/diffusion/samplers.js";
import {
  inferenceTimesteps,
  makeSchedule,
  scheduleFromBetas,
  SCHEDULE_KINDS,
} from "../../src/diffusion/schedule.js";
import { Rng } from "../../src/kernels/rng.js";

describe("makeSchedule", () => {
  it("linear betas run from 1e-4 to 0.02 and the derived arrays agree", () => {
    const s = makeSchedule("linear", 50);
    expect(s.betas[0]).toBe(1e-4);
    expect(s.betas[49]).toBeCloseTo(0.02, 15);
    let prod = 1;
    for (let t = 0; t < 50; t++) {
      prod *= 1 - s.betas[t];
      expect(s.alphasCumprod[t]).toBeCloseTo(prod, 15);
      expect(
        s.sqrtAlphasCumprod[t] ** 2 + s.sqrtOneMinusAlphasCumprod[t] ** 2,
      ).toBeCloseTo(1, 14);
    }
    expect(s.posteriorVariance[0]).toBe(0);
    expect(s.posteriorMeanCoef1[0]).toBeCloseTo(1, 14);
    expect(s.posteriorMeanCoef2[0]).toBe(0);
  });

  it("every kind gives betas in (0, 1) with decreasing abar, cosine reaching almost pure noise", () => {
    for (const kind of SCHEDULE_KINDS) {
      for (const T of [1, 2, 100]) {
        const s = makeSchedule(kind, T);
        expect(s.betas.every((b) => b > 0 && b < 1)).toBe(true);
        for (let t = 1; t < T; t++)
          expect(s.alphasCumprod[t]).toBeLessThan(s.alphasCumprod[t - 1]);
      }
    }
    expect(makeSchedule("cosine", 100).alphasCumprod[99]).toBeLessThan(1e-4);
  });

  it("rejects T < 1, betas outside (0, 1) and unknown kinds", () => {
    expect(() => makeSchedule("linear", 0)).toThrow(
      new RangeError("nTimesteps must be an integer >= 1, got 0"),
    );
    expect(() => makeSchedule("linear", 5, { betaEnd: 1 })).toThrow(
      "betas[4] must be in (0, 1), got 1",
    );
    expect(() => scheduleFromBetas([0.1, 0])).toThrow(
      "betas[1] must be in (0, 1), got 0",
    );
    expect(() => scheduleFromBetas([])).toThrow(
      "betas must hold at least 1 value (T >= 1), got 0",
    );
    expect(() => makeSchedule("sigmoid" as never, 5)).toThrow(
      'schedule must be one of linear, cosine, quadratic, got "sigmoid"',
    );
  });
});

describe("inferenceTimesteps", () => {
  it("spaces steps evenly from T - 1 down to 0, never T", () => {
    expect(Array.from(inferenceTimesteps(50, 50))).toEqual(
      Array.from({ length: 50 }, (_, i) => 49 - i),
    );
    expect(Array.from(inferenceTimesteps(100, 5))).toEqual([99, 74, 50, 25, 0]);
    expect(Array.from(inferenceTimesteps(10, 1))).toEqual([9]);
    expect(() => inferenceTimesteps(10, 11)).toThrow(
      "samplingSteps must be at most the 10 diffusion steps, got 11",
    );
  });
});

describe("forward and reverse processes (closed forms)", () => {
  it("qSample has mean sqrt(abar_t) x0 and variance 1 - abar_t (200,000 draws)", () => {
    const s = makeSchedule("linear", 50);
    const n = 200_000;
    const x0 = matrix(n, 1, new Float64Array(n).fill(0.8));
    for (const t of [0, 25, 49]) {
      const noise = new Rng(t).fillNormal(n);
      const xt = getBackend("wasm").diffusionQSample(
        x0,
        new Int32Array(n).fill(t),
        noise,
        s.sqrtAlphasCumprod,
        s.sqrtOneMinusAlphasCumprod,
      );
      const mean = xt.reduce((a, v) => a + v, 0) / n;
      const variance = xt.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
      const sd = s.sqrtOneMinusAlphasCumprod[t];
      // 5 standard errors: sd / sqrt(n) for the mean, var sqrt(2 / n) for the variance
      expect(Math.abs(mean - s.sqrtAlphasCumprod[t] * 0.8)).toBeLessThan(
        (5 * sd) / Math.sqrt(n),
      );
      expect(Math.abs(variance - sd * sd)).toBeLessThan(
        5 * sd * sd * Math.sqrt(2 / n),
      );
    }
  });

  const L = 20;
  const x0 = new Rng(1).fillNormal(2 * L);
  const xT = new Rng(2).fillNormal(2 * L);
  const session = (kind: "linear" | "cosine", T: number) => {
    const s = makeSchedule(kind, T);
    return {
      s,
      session: getBackend("wasm").diffusionSession({
        length: L,
        sqrtAbar: s.sqrtAlphasCumprod,
        sqrtOneMinusAbar: s.sqrtOneMinusAlphasCumprod,
        seed: 0,
      }),
    };
  };

  it("DDIM with eta = 0 is deterministic: the step noise seed does not matter", () => {
    const { s, session: w } = session("linear", 50);
    const steps = reversePlan(s, {
      sampler: "ddim",
      eta: 0,
      samplingSteps: 10,
    });
    expect(steps.every((st) => st.sigma === 0)).toBe(true);
    const a = w.reverse(xT, steps, { source: "fresh", seed: 1 });
    const b = w.reverse(
      xT,
      reversePlan(s, { sampler: "ddim", samplingSteps: 10 }),
      { source: "oracle", x0, seed: 2 },
    );
    const c = w.reverse(
      xT,
      reversePlan(s, { sampler: "ddim", samplingSteps: 10 }),
      { source: "oracle", x0, seed: 3 },
    );
    expect(b).toEqual(c);
    expect(a).not.toEqual(b);
    w.dispose();
  });

  it("the oracle round trip reconstructs x0 to MSE < 1e-20 for every sampler", () => {
    for (const [kind, T] of [
      ["linear", 50],
      ["cosine", 100],
    ] as const) {
      const { s, session: w } = session(kind, T);
      const plans = [
        reversePlan(s),
        reversePlan(s, { variance: "large" }),
        reversePlan(s, { samplingSteps: 7 }),
        reversePlan(s, { sampler: "ddim", eta: 1, samplingSteps: 13 }),
      ];
      for (const steps of plans) {
        const out = w.reverse(xT, steps, { source: "oracle", x0, seed: 5 });
        const mse =
          out.reduce((a, v, k) => a + (v - x0[k]) ** 2, 0) / out.length;
        expect(mse).toBeLessThan(1e-20);
      }
      w.dispose();
    }
  });
});
