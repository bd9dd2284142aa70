/**
 * How sine-like a signal is: the residual of the best-fitting sine
 * a sin(ω j) + b cos(ω j) + c, found by linear least squares at each
 * frequency of a grid and refined around the best one.
 */

/** Result of {@link sineFit}. */
export interface SineFit {
  /** cycles over the whole signal (ω (length - 1) / 2π) */
  readonly cycles: number;
  readonly amplitude: number;
  /** mean squared residual */
  readonly residual: number;
  /** residual / variance of the signal: the fraction left unexplained */
  readonly unexplained: number;
}

/** Searched frequencies: 0.25 to 10 cycles per signal, coarse then fine. */
const CYCLES_MIN = 0.25;
const CYCLES_MAX = 10;
const COARSE_STEP = 0.02;
const FINE_STEP = 0.0005;

/** Least squares of y on [sin ωj, cos ωj, 1]; returns residual MSE and amplitude. */
function fitAt(
  y: ArrayLike<number>,
  omega: number,
): { residual: number; amplitude: number } {
  const n = y.length;
  // Normal equations of the 3-column design, solved by Cramer's rule.
  let ss = 0,
    sc = 0,
    s1 = 0,
    cc = 0,
    c1 = 0,
    ys = 0,
    yc = 0,
    y1 = 0,
    yy = 0;
  for (let j = 0; j < n; j++) {
    const s = Math.sin(omega * j);
    const c = Math.cos(omega * j);
    ss += s * s;
    sc += s * c;
    s1 += s;
    cc += c * c;
    c1 += c;
    ys += y[j] * s;
    yc += y[j] * c;
    y1 += y[j];
    yy += y[j] * y[j];
  }
  const det3 = (a: number[]) =>
    a[0] * (a[4] * a[8] - a[5] * a[7]) -
    a[1] * (a[3] * a[8] - a[5] * a[6]) +
    a[2] * (a[3] * a[7] - a[4] * a[6]);
  const M = [ss, sc, s1, sc, cc, c1, s1, c1, n];
  const d = det3(M);
  if (!(Math.abs(d) > 1e-12 * n * n * n))
    return { residual: Infinity, amplitude: 0 };
  const a = det3([ys, sc, s1, yc, cc, c1, y1, c1, n]) / d;
  const b = det3([ss, ys, s1, sc, yc, c1, s1, y1, n]) / d;
  const c = det3([ss, sc, ys, sc, cc, yc, s1, c1, y1]) / d;
  // |y - fit|^2 = y.y - beta . X^T y at the least-squares solution.
  const rss = Math.max(0, yy - (a * ys + b * yc + c * y1));
  return { residual: rss / n, amplitude: Math.hypot(a, b) };
}

/** The best-fitting sine of one signal (at least 4 values). */
export function sineFit(y: ArrayLike<number>): SineFit {
  const n = y.length;
  const toOmega = (cycles: number) => (2 * Math.PI * cycles) / (n - 1);
  let best = { cycles: CYCLES_MIN, residual: Infinity, amplitude: 0 };
  const search = (lo: number, hi: number, step: number) => {
    for (let f = lo; f <= hi + 1e-12; f += step) {
      const r = fitAt(y, toOmega(f));
      if (r.residual < best.residual) best = { cycles: f, ...r };
    }
  };
  search(CYCLES_MIN, CYCLES_MAX, COARSE_STEP);
  const f0 = best.cycles;
  search(
    Math.max(CYCLES_MIN, f0 - COARSE_STEP),
    Math.min(CYCLES_MAX, f0 + COARSE_STEP),
    FINE_STEP,
  );
  let mean = 0;
  for (let j = 0; j < n; j++) mean += y[j] / n;
  let variance = 0;
  for (let j = 0; j < n; j++) variance += (y[j] - mean) ** 2 / n;
  return { ...best, unexplained: variance > 0 ? best.residual / variance : 0 };
}

/**
 * Mean residual, unexplained fraction and amplitude of the best-fitting
 * sines over the rows of X. Read the three together: a flat, collapsed
 * signal has a small residual too, but its amplitude gives it away.
 */
export function meanSineResidual(
  data: Float64Array,
  length: number,
): { residual: number; unexplained: number; amplitude: number } {
  const n = data.length / length;
  let residual = 0;
  let unexplained = 0;
  let amplitude = 0;
  for (let i = 0; i < n; i++) {
    const fit = sineFit(data.subarray(i * length, (i + 1) * length));
    residual += fit.residual / n;
    unexplained += fit.unexplained / n;
    amplitude += fit.amplitude / n;
  }
  return { residual, unexplained, amplitude };
}
