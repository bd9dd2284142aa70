/**
 * The fusion experiment: single-modality baselines against early, late and
 * cross fusion, all trained on the same training rows and scored on the
 * same test rows. A plain function returning plain data; the CLI formats it.
 *
 * Unlike the course's script, each single-modality baseline is trained and
 * tested on its own modality (the script trained one model on modality 1
 * and then fed it modalities 2 and 3, whose columns mean something else).
 */
import type { BackendName } from "../backend.js";
import type { Label, Modality, MultiViewDataset } from "../data/dataset.js";
import { describe, takeRows, toMatrix, type Matrix } from "../data/matrix.js";
import { encodeLabels } from "../data/labels.js";
import {
  checkBoolean,
  checkInteger,
  checkOptions,
} from "../models/validation.js";
import { DataError } from "../errors.js";
import { StandardScaler } from "../data/scale.js";
import { trainTestSplit } from "../data/split.js";
import {
  forestOptions,
  makeClassifier,
  type Classifier,
  type ModelName,
  type ModelSettings,
} from "../models/classifier.js";
import { checkNJobs, RandomForestClassifier } from "../models/forest.js";
import { accuracy } from "../models/logistic.js";
import { crossFeatures, earlyFeatures } from "./features.js";

/** Options of {@link runFusion}. */
export interface FusionOptions {
  /** model families to compare; default ["logistic"] */
  models?: ModelName[];
  backend?: BackendName;
  /** seed of the split and of randomised models; default 42 */
  seed?: number;
  /** fraction (0, 1) or count of test rows; default 0.25 */
  testSize?: number;
  /**
   * "stratified": seeded shuffle keeping class proportions (default);
   * "head": the first rows train, the rest test, as the course does.
   */
  split?: "stratified" | "head";
  /**
   * explicit train and test row indices, replacing the seeded split (for
   * comparing with another tool on exactly its rows); testSize and split
   * are then ignored
   */
  indices?: { train: ArrayLike<number>; test: ArrayLike<number> };
  /** features per modality that enter the pairwise products; default 3 */
  crossK?: number;
  /** standardise each feature set on its training rows; default true */
  scale?: boolean;
  maxIter?: number;
  C?: number;
  /** trees per random forest; default 100 */
  nEstimators?: number;
  /**
   * workers that grow each random forest, `runFusionAsync` only (see
   * RandomForestClassifier's nJobs); default 1. Results do not depend on it.
   */
  nJobs?: number;
  /** called with a line of progress per model fitted */
  onProgress?: (message: string) => void;
}

/** One line of the results table. */
export interface FusionRow {
  /** `modality:<name>`, `early`, `late` or `cross` */
  method: string;
  model: ModelName;
  /** test accuracy in [0, 1] */
  accuracy: number;
  /** input features the model saw (late: the sum over modalities) */
  nFeatures: number;
  /** false if any model behind this row stopped before converging */
  converged: boolean;
  /** wall time to fit and predict, milliseconds */
  ms: number;
}

/** What {@link runFusion} returns. */
export interface FusionResult {
  dataset: string;
  modalities: { name: string; nFeatures: number }[];
  classes: Label[];
  nTrain: number;
  nTest: number;
  seed: number;
  backend: BackendName;
  split: "stratified" | "head";
  crossK: number;
  scale: boolean;
  /**
   * test accuracy of always predicting the most frequent training class:
   * the floor any model has to beat
   */
  majority: number;
  /** test rows whose class never occurs in the training rows */
  unseenTestRows: number;
  results: FusionRow[];
}

interface Split {
  train: Int32Array;
  test: Int32Array;
  yTrain: Label[];
  yTest: Label[];
}

/**
 * Runs every fusion strategy and baseline with each requested model.
 * @throws RangeError or DataError for unusable data or options; RangeError
 *   for nJobs other than 1 (use {@link runFusionAsync})
 */
export function runFusion(
  data: MultiViewDataset,
  options: FusionOptions = {},
): FusionResult {
  if (options.nJobs !== undefined && options.nJobs !== 1) {
    throw new RangeError(
      `nJobs must be 1 for runFusion, got ${options.nJobs}: ` +
        "use await runFusionAsync",
    );
  }
  const steps = fusionSteps(data, options);
  let next = steps.next();
  while (!next.done) next = steps.next(fitModel(next.value));
  return next.value;
}

/**
 * {@link runFusion} without blocking the caller's thread for long: random
 * forests grow with `fitAsync` in `nJobs` workers (Web Workers in a
 * browser), and the event loop gets a turn between fits, so a page stays
 * responsive. Gives the same result as runFusion for the same options.
 * @throws as runFusion, by rejecting
 */
export async function runFusionAsync(
  data: MultiViewDataset,
  options: FusionOptions = {},
): Promise<FusionResult> {
  const steps = fusionSteps(data, options);
  let next = steps.next();
  while (!next.done) {
    await new Promise((done) => setTimeout(done, 0));
    next = steps.next(await fitModelAsync(next.value, options.nJobs ?? 1));
  }
  return next.value;
}

/** A model the experiment needs: the driver fits it and hands it back. */
interface FitRequest {
  name: ModelName;
  settings: ModelSettings;
  XTrain: Matrix;
  yTrain: Label[];
}

function fitModel(r: FitRequest): Classifier {
  return makeClassifier(r.name, r.settings).fit(r.XTrain, r.yTrain);
}

async function fitModelAsync(
  r: FitRequest,
  nJobs: number,
): Promise<Classifier> {
  if (r.name !== "forest") return fitModel(r);
  const forest = new RandomForestClassifier({
    ...forestOptions(r.settings),
    nJobs,
  });
  return forest.fitAsync(r.XTrain, r.yTrain);
}

/**
 * The experiment as a sequence of fits: it yields each model to fit and
 * resumes with the fitted model, so one body serves the synchronous and
 * the asynchronous driver alike.
 */
function* fusionSteps(
  data: MultiViewDataset,
  options: FusionOptions,
): Generator<FitRequest, FusionResult, Classifier> {
  const {
    models = ["logistic"],
    backend = "wasm",
    seed = 42,
    testSize = 0.25,
    split = "stratified",
    crossK = 3,
    scale = true,
    maxIter,
    C,
    nEstimators,
    onProgress,
  } = options;
  checkFusionOptions(options);
  data = checkDataset(data);
  const { train, test } = options.indices
    ? checkIndices(options.indices, data.y.length)
    : trainTestSplit(data.y.length, {
        testSize,
        seed,
        shuffle: split === "stratified",
        stratify: split === "stratified" ? data.y : undefined,
      });
  const s: Split = {
    train,
    test,
    yTrain: Array.from(train, (i) => data.y[i]),
    yTest: Array.from(test, (i) => data.y[i]),
  };
  const trainClasses = new Set(s.yTrain);
  if (trainClasses.size < 2) {
    throw new DataError(
      `the ${train.length} training rows hold only one class ` +
        `(${JSON.stringify(s.yTrain[0])}): a model needs two; use a smaller test size`,
    );
  }
  const settings: ModelSettings = { backend, seed, maxIter, C, nEstimators };
  const results: FusionRow[] = [];
  let classes: Label[] = [];

  for (const modelName of models) {
    function* fit(X: Matrix, label: string) {
      onProgress?.(`fitting ${modelName} on ${label} (${X.cols} features)`);
      return yield* fitOn(modelName, settings, X, s, scale);
    }

    // Baselines: one model per modality, kept for late fusion.
    const perModality: (Fitted & { ms: number })[] = [];
    for (const m of data.modalities) {
      const t0 = performance.now();
      const fitted = yield* fit(m.X, `modality ${m.name}`);
      const ms = performance.now() - t0;
      results.push(
        row(`modality:${m.name}`, modelName, fitted, s, m.X.cols, ms),
      );
      perModality.push({ ...fitted, ms });
    }
    classes = perModality[0].model.classes;

    // Early fusion: one model on the concatenated modalities.
    let t0 = performance.now();
    const early = earlyFeatures(data.modalities);
    const fittedEarly = yield* fit(early, "early fusion");
    results.push(
      row(
        "early",
        modelName,
        fittedEarly,
        s,
        early.cols,
        performance.now() - t0,
      ),
    );

    // Late fusion: average the per-modality class probabilities.
    t0 = performance.now();
    const lateAccuracy = lateFusionAccuracy(perModality, s.yTest);
    results.push({
      method: "late",
      model: modelName,
      accuracy: lateAccuracy,
      nFeatures: data.modalities.reduce((a, m) => a + m.X.cols, 0),
      converged: perModality.every((p) => p.model.converged !== false),
      ms: perModality.reduce((a, p) => a + p.ms, 0) + performance.now() - t0,
    });

    // Cross fusion: modalities plus pairwise products.
    t0 = performance.now();
    const cross = crossFeatures(data.modalities, crossK);
    const fittedCross = yield* fit(cross, "cross fusion");
    results.push(
      row(
        "cross",
        modelName,
        fittedCross,
        s,
        cross.cols,
        performance.now() - t0,
      ),
    );
  }

  return {
    dataset: data.name,
    modalities: data.modalities.map((m) => ({
      name: m.name,
      nFeatures: m.X.cols,
    })),
    classes,
    nTrain: train.length,
    nTest: test.length,
    seed,
    backend,
    split,
    crossK,
    scale,
    majority: majorityAccuracy(s.yTrain, s.yTest),
    unseenTestRows: s.yTest.filter((v) => !trainClasses.has(v)).length,
    results,
  };
}

/** Accuracy on yTest of always predicting the most frequent class of yTrain. */
function majorityAccuracy(
  yTrain: readonly Label[],
  yTest: readonly Label[],
): number {
  const counts = new Map<Label, number>();
  for (const v of yTrain) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: Label = yTrain[0];
  for (const [label, n] of counts)
    if (n > (counts.get(best) ?? 0)) best = label;
  return yTest.filter((v) => v === best).length / yTest.length;
}

interface Fitted {
  model: Classifier;
  XTest: Matrix;
  predictions: Label[];
}

function* fitOn(
  name: ModelName,
  settings: ModelSettings,
  X: Matrix,
  s: Split,
  scale: boolean,
): Generator<FitRequest, Fitted, Classifier> {
  let XTrain = takeRows(X, s.train);
  let XTest = takeRows(X, s.test);
  if (scale) {
    const scaler = new StandardScaler().fit(XTrain);
    XTrain = scaler.transform(XTrain);
    XTest = scaler.transform(XTest);
  }
  const model = yield { name, settings, XTrain, yTrain: s.yTrain };
  return { model, XTest, predictions: model.predict(XTest) };
}

function row(
  method: string,
  model: ModelName,
  fitted: Fitted,
  s: Split,
  nFeatures: number,
  ms: number,
): FusionRow {
  return {
    method,
    model,
    accuracy: accuracy(s.yTest, fitted.predictions),
    nFeatures,
    converged: fitted.model.converged !== false,
    ms,
  };
}

/** Accuracy of the argmax of the mean class probabilities (ties: first class). */
function lateFusionAccuracy(
  fitted: readonly Fitted[],
  yTest: readonly Label[],
): number {
  const probas = fitted.map((f) => f.model.predictProba(f.XTest));
  const classes = fitted[0].model.classes;
  const K = classes.length;
  const predictions: Label[] = [];
  for (let i = 0; i < yTest.length; i++) {
    let best = 0;
    let bestP = -Infinity;
    for (let c = 0; c < K; c++) {
      let p = 0;
      for (const P of probas) p += P.data[i * K + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    predictions.push(classes[best]);
  }
  return accuracy(yTest, predictions);
}

/**
 * Validates the data set up front, so that errors name the modality and
 * the original row, and converts `number[][]` modalities to matrices.
 */
function checkDataset(data: MultiViewDataset): MultiViewDataset {
  if (
    typeof data !== "object" ||
    data === null ||
    !Array.isArray(data.modalities)
  ) {
    throw new TypeError(
      `data must be a MultiViewDataset, got ${describe(data)}`,
    );
  }
  if (data.modalities.length < 2) {
    throw new RangeError(
      `fusion needs at least 2 modalities, got ${data.modalities.length}`,
    );
  }
  const { classes } = encodeLabels(data.y as Label[], "y");
  if (classes.length < 2) {
    throw new DataError(
      `y must contain at least 2 classes, got the single class ${JSON.stringify(classes[0])}`,
    );
  }
  const n = data.y.length;
  const seen = new Set<string>();
  const modalities = data.modalities.map((m: Modality) => {
    if (typeof m?.name !== "string" || m.name === "" || seen.has(m.name)) {
      throw new RangeError(
        `modality names must be unique non-empty strings, got ${describe(m?.name)}`,
      );
    }
    seen.add(m.name);
    const X = toMatrix(m.X, `modality ${m.name}`);
    if (X.rows !== n) {
      throw new RangeError(
        `modality ${m.name} has ${X.rows} rows but there are ${n} labels`,
      );
    }
    if (X.cols < 1)
      throw new DataError(`modality ${m.name} has no feature columns`);
    return { name: m.name, X };
  });
  return { name: data.name, modalities, y: data.y };
}

function checkFusionOptions(o: FusionOptions): void {
  checkOptions("options", o, [
    "models",
    "backend",
    "seed",
    "testSize",
    "split",
    "indices",
    "crossK",
    "scale",
    "maxIter",
    "C",
    "nEstimators",
    "nJobs",
    "onProgress",
  ]);
  if (o.split !== undefined && o.split !== "stratified" && o.split !== "head") {
    throw new RangeError(
      `split must be "stratified" or "head", got ${describe(o.split)}`,
    );
  }
  if (o.scale !== undefined) checkBoolean("scale", o.scale);
  if (o.nJobs !== undefined) checkNJobs(o.nJobs);
  if (o.crossK !== undefined) checkInteger("crossK", o.crossK, 1);
  if (
    o.models !== undefined &&
    (!Array.isArray(o.models) || o.models.length === 0)
  ) {
    throw new RangeError(
      `models must list at least one model, got ${describe(o.models)}`,
    );
  }
}

/**
 * Explicit split indices: integers in [0, nSamples), disjoint, neither set
 * empty.
 * @throws RangeError naming the first offending index
 */
function checkIndices(
  indices: { train: ArrayLike<number>; test: ArrayLike<number> },
  nSamples: number,
): { train: Int32Array; test: Int32Array } {
  const seen = new Uint8Array(nSamples);
  const convert = (name: "train" | "test") => {
    const list = indices[name];
    if (!list || list.length === 0) {
      throw new RangeError(
        `indices.${name} must list at least one row, got ${describe(list)}`,
      );
    }
    const out = Int32Array.from(list);
    out.forEach((i, k) => {
      if (!Number.isInteger(list[k]) || i < 0 || i >= nSamples || seen[i]) {
        throw new RangeError(
          `indices.${name}[${k}] must be a new row index below ${nSamples}, got ${list[k]}`,
        );
      }
      seen[i] = 1;
    });
    return out;
  };
  return { train: convert("train"), test: convert("test") };
}
