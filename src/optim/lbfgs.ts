/**
 * Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) with a line
 * search satisfying the strong Wolfe conditions (Nocedal & Wright,
 * "Numerical Optimization", 2nd ed., algorithms 3.5 and 3.6, and 7.4 for
 * the two-loop recursion).
 *
 * Stopping rules and defaults follow SciPy's L-BFGS-B as scikit-learn 1.2
 * calls it (10 correction pairs, 20 evaluations per line search):
 * converged when max_i |g_i| <= gtol, or when the relative decrease of f
 * in one iteration, (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1), is at most
 * ftol (SciPy's default 2.22e-9); otherwise stopped after maxIter
 * iterations. The optimiser runs in
 * TypeScript: its vectors have nParams entries, while the objective's cost
 * is nSamples x nParams and runs in the backend's kernel.
 */

/** f(x), with the gradient written to `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** iterations at most; default 100 */
  maxIter?: number;
  /** tolerance on max |gradient|; default 1e-5 */
  gtol?: number;
  /** tolerance on the relative decrease of f; default 1e7 * 2^-52 (SciPy's) */
  ftol?: number;
  /** correction pairs kept; default 10 */
  memory?: number;
  /** objective evaluations per line search at most; default 20 */
  maxLineSearch?: number;
}

/** What {@link minimizeLbfgs} returns; non-convergence is data, not an error. */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  /** iterations done (each one line search) */
  nIter: number;
  /** objective evaluations */
  nFev: number;
  converged: boolean;
  /** why it stopped */
  message: string;
}

const EPS = 2.220446049250313e-16; // 2^-52
/** SciPy L-BFGS-B's default ftol, factr = 1e7 times machine epsilon. */
export const DEFAULT_FTOL = 2.220446049250313e-9;
const C1 = 1e-3; // sufficient decrease (SciPy's L-BFGS-B uses ftol = 1e-3)
const C2 = 0.9; // curvature

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** Minimises `fg` from `x0` (not modified). */
export function minimizeLbfgs(
  fg: Objective,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const {
    maxIter = 100,
    gtol = 1e-5,
    ftol = DEFAULT_FTOL,
    memory = 10,
    maxLineSearch = 20,
  } = options;
  for (const [name, v] of [
    ["memory", memory],
    ["maxLineSearch", maxLineSearch],
    ["maxIter", maxIter],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`${name} must be an integer >= 1, got ${v}`);
  }
  for (const [name, v] of [
    ["gtol", gtol],
    ["ftol", ftol],
  ] as const) {
    if (!(v >= 0))
      throw new RangeError(`${name} must be a number >= 0, got ${v}`);
  }
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let nFev = 1;
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) {
    return {
      x,
      f,
      nIter: 0,
      nFev,
      converged: false,
      message: "objective or gradient is not finite at the start",
    };
  }
  if (maxAbs(g) <= gtol) {
    return {
      x,
      f,
      nIter: 0,
      nFev,
      converged: true,
      message: "gradient below gtol",
    };
  }

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  const alphaBuf = new Float64Array(memory);

  for (let iter = 1; iter <= maxIter; iter++) {
    // Search direction d = -H g by the two-loop recursion.
    twoLoop(g, S, Y, rho, alphaBuf, d);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // H lost positive definiteness through roundoff: restart from -g.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
    }
    const step0 = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(d, d))) : 1;

    // Strong Wolfe line search along d.
    const phi = (alpha: number): [number, number] => {
      for (let i = 0; i < n; i++) xTrial[i] = x[i] + alpha * d[i];
      const ft = fg(xTrial, gTrial);
      nFev++;
      return [ft, dot(gTrial, d)];
    };
    const fNew = wolfeSearch(phi, f, slope, step0, maxLineSearch);
    if (fNew === null) {
      return {
        x,
        f,
        nIter: iter - 1,
        nFev,
        converged: false,
        message: "line search could not decrease the objective further",
      };
    }

    // Accept the trial point and store the correction pair.
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xTrial[i] - x[i];
      yv[i] = gTrial[i] - g[i];
    }
    const fOld = f;
    x.set(xTrial);
    g.set(gTrial);
    f = fNew;
    const sy = dot(s, yv);
    if (sy > EPS * dot(yv, yv)) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
    }

    if (maxAbs(g) <= gtol) {
      return {
        x,
        f,
        nIter: iter,
        nFev,
        converged: true,
        message: "gradient below gtol",
      };
    }
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
      return {
        x,
        f,
        nIter: iter,
        nFev,
        converged: true,
        message: "relative decrease of f below ftol",
      };
    }
  }
  return {
    x,
    f,
    nIter: maxIter,
    nFev,
    converged: false,
    message: `stopped after maxIter = ${maxIter} iterations`,
  };
}

/**
 * Two-loop recursion: d = -H g, with H the L-BFGS inverse Hessian built from
 * the stored pairs and scaled by gamma = s.y / y.y of the newest pair.
 */
function twoLoop(
  g: Float64Array,
  S: Float64Array[],
  Y: Float64Array[],
  rho: number[],
  alpha: Float64Array,
  d: Float64Array,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) d[i] = -g[i];
  const m = S.length;
  for (let k = m - 1; k >= 0; k--) {
    alpha[k] = rho[k] * dot(S[k], d);
    const y = Y[k];
    for (let i = 0; i < n; i++) d[i] -= alpha[k] * y[i];
  }
  if (m > 0) {
    const gamma = 1 / (rho[m - 1] * dot(Y[m - 1], Y[m - 1]));
    for (let i = 0; i < n; i++) d[i] *= gamma;
  }
  for (let k = 0; k < m; k++) {
    const beta = rho[k] * dot(Y[k], d);
    const s = S[k];
    for (let i = 0; i < n; i++) d[i] += (alpha[k] - beta) * s[i];
  }
}

/**
 * Finds a step satisfying the strong Wolfe conditions
 *   f(a) <= f(0) + C1 a f'(0)  and  |f'(a)| <= C2 |f'(0)|
 * by bracketing then zooming with safeguarded cubic interpolation.
 * `phi(a)` evaluates f and f' at step a and leaves that point as the
 * current trial; the accepted point is always the last one evaluated.
 * Returns f at the accepted step, or null when no decrease was found.
 */
function wolfeSearch(
  phi: (alpha: number) => [number, number],
  f0: number,
  slope0: number,
  step0: number,
  maxEval: number,
): number | null {
  let aPrev = 0;
  let fPrev = f0;
  let dPrev = slope0;
  let a = step0;
  let evals = 0;
  let fLast = Infinity;
  let dLast = 0;
  let aLo = 0,
    aHi = 0,
    fLo = 0,
    fHi = 0,
    dLo = 0,
    dHi = 0;
  let bracketed = false;

  // Phase 1: expand the step until the minimiser is bracketed.
  while (evals < maxEval) {
    [fLast, dLast] = phi(a);
    evals++;
    if (
      fLast > f0 + C1 * a * slope0 ||
      (evals > 1 && fLast >= fPrev) ||
      !Number.isFinite(fLast)
    ) {
      [aLo, fLo, dLo, aHi, fHi, dHi] = [aPrev, fPrev, dPrev, a, fLast, dLast];
      bracketed = true;
      break;
    }
    if (Math.abs(dLast) <= -C2 * slope0) return fLast;
    if (dLast >= 0) {
      [aLo, fLo, dLo, aHi, fHi, dHi] = [a, fLast, dLast, aPrev, fPrev, dPrev];
      bracketed = true;
      break;
    }
    aPrev = a;
    fPrev = fLast;
    dPrev = dLast;
    a *= 4;
  }
  if (!bracketed) return fLast < f0 ? fLast : null;

  // Phase 2: zoom inside [aLo, aHi]; aLo always has the lowest f so far.
  while (evals < maxEval) {
    a = cubicStep(aLo, fLo, dLo, aHi, fHi, dHi);
    [fLast, dLast] = phi(a);
    evals++;
    if (
      fLast > f0 + C1 * a * slope0 ||
      fLast >= fLo ||
      !Number.isFinite(fLast)
    ) {
      aHi = a;
      fHi = fLast;
      dHi = dLast;
    } else {
      if (Math.abs(dLast) <= -C2 * slope0) return fLast;
      if (dLast * (aHi - aLo) >= 0) {
        aHi = aLo;
        fHi = fLo;
        dHi = dLo;
      }
      aLo = a;
      fLo = fLast;
      dLo = dLast;
    }
    if (Math.abs(aHi - aLo) <= EPS * Math.max(Math.abs(aLo), 1)) break;
  }
  // Out of evaluations: fall back to the best step seen if it decreased f.
  if (!(aLo > 0 && fLo < f0)) return null;
  return a === aLo ? fLast : phi(aLo)[0];
}

/**
 * Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept at
 * least 10% of the interval away from either end; bisection when the cubic
 * has no usable minimiser (N&W eq. 3.59).
 */
function cubicStep(
  a: number,
  fa: number,
  da: number,
  b: number,
  fb: number,
  db: number,
): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const margin = 0.1 * (hi - lo);
  let t = NaN;
  if (Number.isFinite(fb) && Number.isFinite(db)) {
    const d1 = da + db - (3 * (fa - fb)) / (a - b);
    const disc = d1 * d1 - da * db;
    if (disc >= 0) {
      const d2 = Math.sign(b - a) * Math.sqrt(disc);
      t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
    }
  }
  if (!Number.isFinite(t) || t < lo + margin || t > hi - margin) {
    return 0.5 * (a + b);
  }
  return t;
}
