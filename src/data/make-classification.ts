/**
 * Random n-class classification problems with scikit-learn's
 * make_classification algorithm (after Guyon, 2003, "Design of experiments
 * for the NIPS 2003 variable selection benchmark"): Gaussian clusters
 * around vertices of a hypercube in the informative subspace, plus
 * redundant, repeated and noise features. Our own random stream is used,
 * so a seed gives other rows than scikit-learn's, from the same
 * distribution.
 */
import { Rng } from "../kernels/rng.js";
import { matrix, type Matrix } from "./matrix.js";

/** Options of {@link makeClassification}; scikit-learn's names and defaults. */
export interface MakeClassificationOptions {
  /** default 100 */
  nSamples?: number;
  /** total features; default 20 */
  nFeatures?: number;
  /** features that carry the clusters; default 2 */
  nInformative?: number;
  /** random linear combinations of the informative ones; default 2 */
  nRedundant?: number;
  /** copies of informative or redundant features; default 0 */
  nRepeated?: number;
  /** default 2 */
  nClasses?: number;
  /** default 2 */
  nClustersPerClass?: number;
  /** half the hypercube's side: larger separates classes more; default 1 */
  classSep?: number;
  /** fraction of labels replaced by random ones; default 0.01 */
  flipY?: number;
  /** shuffle rows and columns; default true */
  shuffle?: boolean;
  /** seed (an integer); default null, a fresh random seed */
  randomState?: number | null;
}

/** What {@link makeClassification} returns. */
export interface ClassificationData {
  /** nSamples x nFeatures */
  X: Matrix;
  /** nSamples class indices in [0, nClasses) */
  y: number[];
}

/**
 * Generates a classification problem. Before shuffling, the columns are
 * nInformative informative, nRedundant redundant, nRepeated repeated,
 * then noise; rows come cluster by cluster, cluster k having class
 * k mod nClasses and about nSamples / (nClasses nClustersPerClass) rows.
 *
 * Each cluster's informative values are N(0, I) draws multiplied by a
 * random matrix with entries uniform on [-1, 1) (a random covariance) and
 * moved to a distinct hypercube vertex with coordinates ±classSep.
 * @throws RangeError for out-of-range options, more informative,
 *   redundant and repeated features than nFeatures, or more clusters than
 *   the 2^nInformative vertices
 */
export function makeClassification(
  options: MakeClassificationOptions = {},
): ClassificationData {
  const o = resolve(options);
  const { nSamples: n, nFeatures: d, nInformative: nInf, nClasses } = o;
  const nClusters = nClasses * o.nClustersPerClass;
  const rng = new Rng(o.randomState ?? Math.floor(Math.random() * 2 ** 32));
  const X = new Float64Array(n * d);
  const y = new Array<number>(n);

  // Rows per cluster: equal shares, the remainder dealt out one by one.
  const perCluster = new Array<number>(nClusters).fill(
    Math.trunc((n * (1 / nClasses)) / o.nClustersPerClass),
  );
  const dealt = perCluster.reduce((a, b) => a + b, 0);
  for (let r = 0; r < n - dealt; r++) perCluster[r % nClusters]++;

  // Informative features: N(0, 1), times A_k, plus the cluster's centroid.
  const centroids = hypercube(nClusters, nInf, rng);
  for (let p = 0; p < centroids.length; p++) {
    centroids[p] = centroids[p] * 2 * o.classSep - o.classSep;
  }
  const Z = rng.fillNormal(n * nInf);
  let start = 0;
  for (let k = 0; k < nClusters; k++) {
    const A = rng.fillUniform(nInf * nInf).map((u) => 2 * u - 1);
    for (let i = start; i < start + perCluster[k]; i++) {
      y[i] = k % nClasses;
      for (let j = 0; j < nInf; j++) {
        let s = 0;
        for (let m = 0; m < nInf; m++) s += Z[i * nInf + m] * A[m * nInf + j];
        X[i * d + j] = s + centroids[k * nInf + j];
      }
    }
    start += perCluster[k];
  }

  // Redundant: X_inf B; repeated: copies of earlier columns; then noise.
  const B = rng.fillUniform(nInf * o.nRedundant).map((u) => 2 * u - 1);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < o.nRedundant; r++) {
      let s = 0;
      for (let m = 0; m < nInf; m++)
        s += X[i * d + m] * B[m * o.nRedundant + r];
      X[i * d + nInf + r] = s;
    }
  }
  const nSoFar = nInf + o.nRedundant;
  const source = Array.from(rng.fillUniform(o.nRepeated), (u) =>
    Math.floor((nSoFar - 1) * u + 0.5),
  );
  const nUseless = d - nSoFar - o.nRepeated;
  const noise = rng.fillNormal(n * nUseless);
  for (let i = 0; i < n; i++) {
    source.forEach((c, r) => (X[i * d + nSoFar + r] = X[i * d + c]));
    for (let r = 0; r < nUseless; r++) {
      X[i * d + d - nUseless + r] = noise[i * nUseless + r];
    }
  }

  // Label noise, then shuffles of rows and of columns.
  const flip = rng.fillUniform(n);
  for (let i = 0; i < n; i++) if (flip[i] < o.flipY) y[i] = rng.int(nClasses);
  if (!o.shuffle) return { X: matrix(n, d, X), y };
  const rows = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const cols = rng.shuffle(Array.from({ length: d }, (_, j) => j));
  const Xs = new Float64Array(n * d);
  const ys = new Array<number>(n);
  for (let r = 0; r < n; r++) {
    const i = rows[r];
    ys[r] = y[i];
    for (let j = 0; j < d; j++) Xs[r * d + j] = X[i * d + cols[j]];
  }
  return { X: matrix(n, d, Xs), y: ys };
}

/**
 * nPoints distinct vertices of the unit hypercube {0, 1}^dim, row-major.
 * Up to 30 dimensions the vertices are distinct integers below 2^dim read
 * as bits (most significant first); beyond 30, the extra leading
 * coordinates are random bits, as scikit-learn does.
 */
function hypercube(nPoints: number, dim: number, rng: Rng): Float64Array {
  const low = Math.min(dim, 30);
  const extra = dim - low;
  const out = new Float64Array(nPoints * dim);
  for (let p = 0; p < nPoints; p++) {
    for (let j = 0; j < extra; j++) out[p * dim + j] = rng.int(2);
  }
  const vertices = distinctIntegers(nPoints, 2 ** low, rng);
  vertices.forEach((v, p) => {
    for (let b = 0; b < low; b++) {
      out[p * dim + extra + b] = Math.floor(v / 2 ** (low - 1 - b)) % 2;
    }
  });
  return out;
}

/** k distinct integers from [0, range), k <= range, in draw order. */
function distinctIntegers(k: number, range: number, rng: Rng): number[] {
  if (2 * k > range) {
    // Dense: a partial Fisher-Yates over the whole (small) range.
    const all = Array.from({ length: range }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(range - i);
      [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, k);
  }
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < k) {
    const v = rng.int(range);
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

type Resolved = Required<Omit<MakeClassificationOptions, "randomState">> & {
  randomState: number | null;
};

function resolve(options: MakeClassificationOptions): Resolved {
  const o: Resolved = {
    nSamples: options.nSamples ?? 100,
    nFeatures: options.nFeatures ?? 20,
    nInformative: options.nInformative ?? 2,
    nRedundant: options.nRedundant ?? 2,
    nRepeated: options.nRepeated ?? 0,
    nClasses: options.nClasses ?? 2,
    nClustersPerClass: options.nClustersPerClass ?? 2,
    classSep: options.classSep ?? 1,
    flipY: options.flipY ?? 0.01,
    shuffle: options.shuffle ?? true,
    randomState: options.randomState ?? null,
  };
  const minimum = {
    nSamples: 1,
    nFeatures: 1,
    nInformative: 1,
    nRedundant: 0,
    nRepeated: 0,
    nClasses: 1,
    nClustersPerClass: 1,
  } as const;
  for (const [name, min] of Object.entries(minimum)) {
    const v = o[name as keyof typeof minimum];
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
    }
  }
  if (!Number.isFinite(o.classSep)) {
    throw new RangeError(`classSep must be a finite number, got ${o.classSep}`);
  }
  if (!(o.flipY >= 0 && o.flipY <= 1)) {
    throw new RangeError(`flipY must be a number in [0, 1], got ${o.flipY}`);
  }
  if (o.randomState !== null && !Number.isInteger(o.randomState)) {
    throw new RangeError(
      `randomState must be null or an integer, got ${o.randomState}`,
    );
  }
  const used = o.nInformative + o.nRedundant + o.nRepeated;
  if (used > o.nFeatures) {
    throw new RangeError(
      `nInformative + nRedundant + nRepeated must be <= nFeatures ` +
        `(${o.nFeatures}), got ${used}`,
    );
  }
  // 2 ** nInformative is a double: exact up to 2^1023, Infinity beyond.
  const nClusters = o.nClasses * o.nClustersPerClass;
  if (nClusters > 2 ** o.nInformative) {
    throw new RangeError(
      `nClasses * nClustersPerClass must be <= 2^nInformative ` +
        `(${2 ** o.nInformative}), got ${nClusters}`,
    );
  }
  return o;
}
