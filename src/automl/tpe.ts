/**
 * The tree-structured Parzen estimator (Bergstra et al., 2011,
 * "Algorithms for Hyper-Parameter Optimization", section 4), univariate:
 * the finished trials are split into the best gamma share ("good") and
 * the rest; each dimension gets a density l(x) from the good trials and
 * g(x) from the rest; candidates are drawn from l and the one maximising
 * l(x) / g(x) (the expected improvement, eq. 6, up to a monotone map) is
 * tried next. Runtime-independent; deterministic for a seed.
 */
import { Rng } from "../kernels/rng.js";
import {
  paramsKey,
  spaceSize,
  type Dimension,
  type ParamValue,
  type Params,
  type RangeDimension,
  type SearchSpace,
} from "./space.js";
import { checkTrials, drawUnseen, type Search } from "./searches.js";
import { rankTrials, type TrialRecord, type TrialRequest } from "./trial.js";

/** Options of {@link TpeSearch}. */
export interface TpeOptions {
  /** trials in all, an integer >= 1 */
  trials: number;
  seed: number;
  /**
   * random trials before the model takes over; default 5 (not tied to
   * `trials`, so that a journaled search can be extended)
   */
  nStartup?: number;
  /** share of finished trials that count as good; default 0.25 */
  gamma?: number;
  /** candidates drawn from l per proposal; default 24 */
  nCandidates?: number;
  /**
   * trials proposed together from the same history; default 1 (each
   * proposal sees every earlier result). Results do not depend on the
   * number of workers, only on this.
   */
  batchSize?: number;
}

/** Random trials before the model, by default. */
export const DEFAULT_STARTUP = 5;

/** A standard normal draw (Box-Muller, one of the pair). */
function normal(rng: Rng): number {
  const u = 1 - rng.uniform(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.uniform());
}

/** Phi(x), the standard normal CDF, by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 +
      t *
        (-0.284496736 +
          t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Where a range dimension lives for the estimator: [a, b], maybe logged. */
interface Internal {
  a: number;
  b: number;
  to(x: number): number;
  from(u: number): number;
}

function internal(d: RangeDimension): Internal {
  const half = d.type === "int" ? 0.5 : 0;
  const t = d.log ? Math.log : (x: number) => x;
  const inv = d.log ? Math.exp : (u: number) => u;
  const clamp = (x: number) => Math.min(d.high, Math.max(d.low, x));
  return {
    a: t(d.low - half),
    b: t(d.high + half),
    to: t,
    from: (u) => clamp(d.type === "int" ? Math.round(inv(u)) : inv(u)),
  };
}

/**
 * A Parzen window estimator on [a, b]: one truncated Gaussian per
 * observation plus a wide prior one at the centre, equal weights.
 * Each observation's width is the larger gap to its sorted neighbours
 * (the bounds count as neighbours), clipped to
 * [(b - a) / min(100, m + 1), b - a].
 */
class Parzen {
  private readonly mu: number[];
  private readonly sigma: number[];
  private readonly mass: number[];

  constructor(
    points: number[],
    private readonly a: number,
    private readonly b: number,
  ) {
    const width = b - a;
    const sorted = [...points].sort((p, q) => p - q);
    const lo = width / Math.min(100, sorted.length + 1);
    this.mu = [(a + b) / 2, ...sorted];
    this.sigma = [
      width,
      ...sorted.map((u, i) => {
        const left = u - (i > 0 ? sorted[i - 1] : a);
        const right = (i + 1 < sorted.length ? sorted[i + 1] : b) - u;
        return Math.min(width, Math.max(lo, left, right));
      }),
    ];
    this.mass = this.mu.map(
      (m, k) =>
        normalCdf((b - m) / this.sigma[k]) - normalCdf((a - m) / this.sigma[k]),
    );
  }

  sample(rng: Rng): number {
    const k = rng.int(this.mu.length);
    for (let tries = 0; tries < 64; tries++) {
      const u = this.mu[k] + this.sigma[k] * normal(rng);
      if (u >= this.a && u <= this.b) return u;
    }
    return Math.min(this.b, Math.max(this.a, this.mu[k]));
  }

  logPdf(u: number): number {
    let p = 0;
    for (let k = 0; k < this.mu.length; k++) {
      const z = (u - this.mu[k]) / this.sigma[k];
      p +=
        Math.exp(-0.5 * z * z) /
        (this.sigma[k] * Math.max(this.mass[k], 1e-300));
    }
    return Math.log(p / this.mu.length / Math.sqrt(2 * Math.PI));
  }
}

/** l or g for one dimension: sample and log-density. */
interface Density {
  sample(rng: Rng): ParamValue;
  logPdf(v: ParamValue): number;
}

/**
 * Categorical: each observation weighs 1 / (m + 1), and a prior of the
 * same weight is spread evenly over the values.
 */
function categoricalDensity(values: ParamValue[], seen: ParamValue[]): Density {
  const keys = values.map((v) => JSON.stringify(v));
  const w = keys.map(() => 1 / values.length);
  for (const v of seen) {
    const k = keys.indexOf(JSON.stringify(v));
    if (k >= 0) w[k] += 1;
  }
  const total = w.reduce((s, x) => s + x, 0);
  const p = w.map((x) => x / total);
  return {
    sample(rng) {
      let u = rng.uniform();
      for (let k = 0; k < p.length - 1; k++) {
        if (u < p[k]) return values[k];
        u -= p[k];
      }
      return values[p.length - 1];
    },
    logPdf: (v) => Math.log(p[keys.indexOf(JSON.stringify(v))] ?? 1e-300),
  };
}

function rangeDensity(d: RangeDimension, seen: ParamValue[]): Density {
  const m = internal(d);
  if (m.a === m.b) {
    return { sample: () => d.low, logPdf: () => 0 };
  }
  const parzen = new Parzen(
    seen.map((v) => m.to(v as number)),
    m.a,
    m.b,
  );
  return {
    sample: (rng) => m.from(parzen.sample(rng)),
    logPdf: (v) => parzen.logPdf(m.to(v as number)),
  };
}

function density(d: Dimension, seen: ParamValue[]): Density {
  return d.type === "categorical"
    ? categoricalDensity(d.values, seen)
    : rangeDensity(d, seen);
}

/**
 * TPE search. Failed trials count as the worst; the good/bad split is
 * taken on trials ranked by score with ties to the earlier trial, and the
 * best candidate's ties go to the first drawn, so that a seed gives one
 * sequence of trials. From a finite space a trial is never repeated while
 * untried points remain (the search ends early when all have been tried).
 */
export class TpeSearch implements Search {
  readonly kind = "tpe";
  readonly total: number;
  private readonly rng: Rng;
  private readonly nStartup: number;
  private readonly gamma: number;
  private readonly nCandidates: number;
  private readonly batchSize: number;
  private readonly seen = new Set<string>();
  private nextId = 0;

  /** @throws RangeError for out-of-range options */
  constructor(
    private readonly space: SearchSpace,
    options: TpeOptions,
  ) {
    checkTrials(options.trials);
    const o = options;
    this.total = Math.min(o.trials, spaceSize(space));
    this.rng = new Rng(o.seed);
    this.nStartup = o.nStartup ?? DEFAULT_STARTUP;
    this.gamma = o.gamma ?? 0.25;
    this.nCandidates = o.nCandidates ?? 24;
    this.batchSize = o.batchSize ?? 1;
    if (!Number.isInteger(this.nStartup) || this.nStartup < 1) {
      throw new RangeError(
        `nStartup must be an integer >= 1, got ${this.nStartup}`,
      );
    }
    if (!(this.gamma > 0 && this.gamma < 1)) {
      throw new RangeError(`gamma must be in (0, 1), got ${this.gamma}`);
    }
    for (const [name, v] of [
      ["nCandidates", this.nCandidates],
      ["batchSize", this.batchSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`${name} must be an integer >= 1, got ${v}`);
      }
    }
  }

  next(done: readonly TrialRecord[]): TrialRequest[] | null {
    if (this.nextId >= this.total) return null;
    if (done.length < this.nextId) return null; // stopped early
    const n = Math.min(this.batchSize, this.total - this.nextId);
    const batch: TrialRequest[] = [];
    for (let b = 0; b < n; b++) {
      const params =
        this.nextId < this.nStartup
          ? drawUnseen(this.space, this.rng, this.seen)
          : this.propose(done);
      this.seen.add(paramsKey(params));
      batch.push({ id: this.nextId++, params });
    }
    return batch;
  }

  /** The candidate drawn from l with the largest log l - log g. */
  private propose(done: readonly TrialRecord[]): Params {
    const ranked = rankTrials(done);
    const nGood = Math.max(1, Math.ceil(this.gamma * ranked.length));
    const names = Object.keys(this.space);
    const good = names.map((name) =>
      density(
        this.space[name],
        ranked.slice(0, nGood).map((t) => t.params[name]),
      ),
    );
    const bad = names.map((name) =>
      density(
        this.space[name],
        ranked.slice(nGood).map((t) => t.params[name]),
      ),
    );
    let best: Params | null = null;
    let bestScore = -Infinity;
    let fallback: Params | null = null;
    for (let round = 0; round < 10 && best === null; round++) {
      for (let c = 0; c < this.nCandidates; c++) {
        const p: Params = {};
        let score = 0;
        names.forEach((name, k) => {
          const v = good[k].sample(this.rng);
          p[name] = v;
          score += good[k].logPdf(v) - bad[k].logPdf(v);
        });
        fallback ??= p;
        if (score > bestScore && !this.seen.has(paramsKey(p))) {
          best = p;
          bestScore = score;
        }
      }
    }
    if (best) return best;
    return spaceSize(this.space) === Infinity
      ? (fallback as Params)
      : drawUnseen(this.space, this.rng, this.seen);
  }

  best(done: readonly TrialRecord[]): TrialRecord {
    if (done.length === 0) throw new RangeError("trials must not be empty");
    return rankTrials(done)[0];
  }
}
