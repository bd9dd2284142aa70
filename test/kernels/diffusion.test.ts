import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getBackend } from "../../src/backend.js";
import { matrix } from "../../src/data/matrix.js";
import { reversePlan } from "../../src/diffusion/samplers.js";
import { makeSchedule } from "../../src/diffusion/schedule.js";
import { Rng } from "../../src/kernels/rng.js";

const wasm = getBackend("wasm");
const ts = getBackend("ts");

// The diffusion kernels are element-wise with the twin's operations in the
// twin's order, so Wasm and TS agree bit for bit (toEqual on Float64Array
// compares with Object.is, so -0 and NaN count too).
describe("diffusionQSample", () => {
  it("wasm equals ts bit for bit on random shapes and timesteps (property)", () => {
    const schedule = makeSchedule("cosine", 30);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (n, length, seed) => {
          const rng = new Rng(seed);
          const x0 = matrix(n, length, rng.fillNormal(n * length));
          const t = Int32Array.from({ length: n }, () => rng.int(30));
          const noise = rng.fillNormal(n * length);
          const args = [
            x0,
            t,
            noise,
            schedule.sqrtAlphasCumprod,
            schedule.sqrtOneMinusAlphasCumprod,
          ] as const;
          expect(wasm.diffusionQSample(...args)).toEqual(
            ts.diffusionQSample(...args),
          );
        },
      ),
      { seed: 7, numRuns: 50 },
    );
  });

  it("passes NaN, infinities and -0 through as IEEE arithmetic does", () => {
    const schedule = makeSchedule("linear", 5);
    const x0 = matrix(
      1,
      5,
      Float64Array.from([NaN, Infinity, -0, 1e308, -1e-308]),
    );
    const args = [
      x0,
      Int32Array.of(2),
      new Float64Array(5),
      schedule.sqrtAlphasCumprod,
      schedule.sqrtOneMinusAlphasCumprod,
    ] as const;
    expect(wasm.diffusionQSample(...args)).toEqual(
      ts.diffusionQSample(...args),
    );
  });

  it("rejects a timestep outside [0, T) before touching memory", () => {
    const s = makeSchedule("linear", 4);
    const x0 = matrix(1, 2, new Float64Array(2));
    expect(() =>
      wasm.diffusionQSample(
        x0,
        Int32Array.of(4),
        new Float64Array(2),
        s.sqrtAlphasCumprod,
        s.sqrtOneMinusAlphasCumprod,
      ),
    ).toThrow(new RangeError("t[0] must be in [0, 4), got 4"));
  });
});

describe("reverse loops in a session", () => {
  function sessions(T: number, length: number) {
    const s = makeSchedule("linear", T);
    const make = (b: typeof wasm) =>
      b.diffusionSession({
        length,
        sqrtAbar: s.sqrtAlphasCumprod,
        sqrtOneMinusAbar: s.sqrtOneMinusAlphasCumprod,
        seed: 1,
      });
    return { schedule: s, w: make(wasm), t: make(ts) };
  }

  it("wasm equals ts bit for bit for oracle and fresh noise, ddpm and ddim (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom("ddpm", "ddim"),
        fc.constantFrom("oracle", "fresh"),
        fc.constantFrom(Infinity, 1.5),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (T, n, sampler, source, clip, seed) => {
          const L = 6;
          const { schedule, w, t } = sessions(T, L);
          try {
            const rng = new Rng(seed);
            const x = rng.fillNormal(n * L);
            const x0 = rng.fillNormal(n * L);
            const steps = reversePlan(schedule, {
              sampler,
              eta: 0.5,
              samplingSteps: Math.max(1, T >> 1),
            });
            const o = { source, x0, clip, seed } as const;
            expect(w.reverse(x, steps, o)).toEqual(t.reverse(x, steps, o));
          } finally {
            w.dispose();
            t.dispose();
          }
        },
      ),
      { seed: 11, numRuns: 40 },
    );
  });
});
