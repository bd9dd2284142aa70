import { describe, expect, it } from "vitest";
import { minimizeLbfgs, type Objective } from "../../src/optim/lbfgs.js";

/** Rosenbrock's banana in n dimensions; minimum 0 at (1, ..., 1). */
const rosenbrock: Objective = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
};

describe("minimizeLbfgs", () => {
  it("finds the minimum of the 10-d Rosenbrock function", () => {
    const r = minimizeLbfgs(rosenbrock, new Float64Array(10).fill(-1.2), {
      maxIter: 1000,
      gtol: 1e-9,
      ftol: 0,
    });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 6);
    expect(r.f).toBeLessThan(1e-12);
  });

  it("solves an ill-conditioned quadratic to the gradient tolerance", () => {
    // f = 1/2 sum_i c_i (x_i - i)^2 with condition number 1e3 (at 1e6 SciPy's
    // L-BFGS-B, like this one, is still at f = 1.13 after 500 iterations)
    const c = Float64Array.from({ length: 20 }, (_, i) => 10 ** ((3 * i) / 19));
    const fg: Objective = (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        const r = x[i] - i;
        f += 0.5 * c[i] * r * r;
        g[i] = c[i] * r;
      }
      return f;
    };
    const r = minimizeLbfgs(fg, new Float64Array(20), {
      maxIter: 500,
      gtol: 1e-8,
      ftol: 0,
    });
    expect(r.converged).toBe(true);
    expect(r.message).toBe("gradient below gtol");
    for (let i = 0; i < 20; i++)
      expect(Math.abs(r.x[i] - i) * c[i]).toBeLessThanOrEqual(1e-8);
  });

  it("the objective never increases between iterations", () => {
    const seen: number[] = [];
    const fg: Objective = (x, g) => rosenbrock(x, g);
    for (let maxIter = 1; maxIter <= 30; maxIter++) {
      seen.push(
        minimizeLbfgs(fg, new Float64Array(4).fill(-1), { maxIter, ftol: 0 }).f,
      );
    }
    for (let k = 1; k < seen.length; k++)
      expect(seen[k]).toBeLessThanOrEqual(seen[k - 1]);
  });

  it("reports non-convergence at maxIter instead of throwing", () => {
    const r = minimizeLbfgs(rosenbrock, new Float64Array(6).fill(-1.2), {
      maxIter: 3,
    });
    expect(r.converged).toBe(false);
    expect(r.nIter).toBe(3);
    expect(r.message).toMatch(/maxIter = 3/);
  });

  it("returns at once when the start is already optimal", () => {
    const r = minimizeLbfgs(rosenbrock, new Float64Array(3).fill(1));
    expect(r).toMatchObject({ nIter: 0, converged: true, f: 0 });
  });

  it("stops with a message when the objective is not finite", () => {
    const r = minimizeLbfgs((_x, g) => (g.fill(0), NaN), new Float64Array(2));
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/not finite/);
  });

  it("rejects bad options and reports a non-finite starting gradient", () => {
    expect(() =>
      minimizeLbfgs(rosenbrock, new Float64Array(2), { memory: 0 }),
    ).toThrow(/memory must be an integer >= 1, got 0/);
    expect(() =>
      minimizeLbfgs(rosenbrock, new Float64Array(2), { maxLineSearch: 1.5 }),
    ).toThrow(/maxLineSearch must be an integer >= 1/);
    expect(() =>
      minimizeLbfgs(rosenbrock, new Float64Array(2), { gtol: NaN }),
    ).toThrow(/gtol must be a number >= 0, got NaN/);
    const r = minimizeLbfgs((_x, g) => (g.fill(NaN), 1), new Float64Array(2));
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/gradient is not finite/);
  });

  it("does not modify x0", () => {
    const x0 = new Float64Array(4).fill(-1);
    minimizeLbfgs(rosenbrock, x0, { maxIter: 5 });
    expect(Array.from(x0)).toEqual([-1, -1, -1, -1]);
  });
});
