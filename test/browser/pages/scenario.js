// One seeded fit-and-predict scenario, run unchanged by a browser page
// (with dist/browser.js) and by Node (with dist/index.js or src/index.ts),
// so the tests can compare the two results exactly. Plain JavaScript, so a
// page loads it without a bundler; inputs and results are plain JSON-safe
// data (no typed arrays, no wall times).
//
// The page can make the data sets from the seed itself: normals use the
// package's own log, not the engine's Math.log (which differs between V8
// versions in the last bit), so the same seed gives the same bits.

/** A Matrix as plain data. */
function plainMatrix(m) {
  return { rows: m.rows, cols: m.cols, data: Array.from(m.data) };
}

function toMatrix(wl, p) {
  return wl.matrix(p.rows, p.cols, Float64Array.from(p.data));
}

/** The scenario's data sets from `seed`, as plain data. */
export function makeDatasets(wl, seed) {
  const classification = (options) => {
    const d = wl.makeClassification(options);
    return { X: plainMatrix(d.X), y: d.y };
  };
  const multimodal = wl.makeMultimodal({ nSamples: 200, seed });
  return {
    binary: classification({
      nSamples: 160,
      nFeatures: 5,
      nInformative: 3,
      nClasses: 2,
      randomState: seed,
    }),
    multi: classification({
      nSamples: 240,
      nFeatures: 8,
      nInformative: 5,
      nClasses: 3,
      randomState: seed + 1,
    }),
    multimodal: {
      name: multimodal.name,
      modalities: multimodal.modalities.map((m) => ({
        name: m.name,
        X: plainMatrix(m.X),
      })),
      y: multimodal.y,
    },
  };
}

/** Splits a classification problem into training and test rows. */
function split(wl, plain, seed) {
  const data = { X: toMatrix(wl, plain.X), y: plain.y };
  const { train, test } = wl.trainTestSplit(data.y.length, {
    testSize: 0.25,
    seed,
    stratify: data.y,
  });
  return {
    XTrain: wl.takeRows(data.X, train),
    yTrain: Array.from(train, (i) => data.y[i]),
    XTest: wl.takeRows(data.X, test),
    yTest: Array.from(test, (i) => data.y[i]),
  };
}

/** Probabilities, predictions and test accuracy of a fitted classifier. */
function outcome(model, s) {
  return {
    proba: Array.from(model.predictProba(s.XTest).data),
    predictions: model.predict(s.XTest),
    accuracy: model.score(s.XTest, s.yTest),
  };
}

/**
 * Fits a logistic regression (binary and three classes), random forests
 * (gini and entropy) and the fusion experiment (logistic and forest) on `datasets` (from
 * `makeDatasets`), seeding splits and forests with `seed`. `wl` is the
 * wasmlearn module, already `ready()`.
 */
export async function scenario(wl, seed, datasets) {
  const binary = split(wl, datasets.binary, seed);
  const multi = split(wl, datasets.multi, seed);
  const multimodal = {
    ...datasets.multimodal,
    modalities: datasets.multimodal.modalities.map((m) => ({
      name: m.name,
      X: toMatrix(wl, m.X),
    })),
  };

  const logistic = new wl.LogisticRegression().fit(
    binary.XTrain,
    binary.yTrain,
  );
  const multinomial = new wl.LogisticRegression({ C: 0.5 }).fit(
    multi.XTrain,
    multi.yTrain,
  );
  const forest = new wl.RandomForestClassifier({
    nEstimators: 12,
    randomState: seed,
  }).fit(multi.XTrain, multi.yTrain);
  // Entropy needs k ln k; its table is computed without the engine's log.
  const entropyForest = new wl.RandomForestClassifier({
    nEstimators: 8,
    criterion: "entropy",
    maxFeatures: 0.5,
    randomState: seed + 2,
  }).fit(multi.XTrain, multi.yTrain);
  const fusion = wl.runFusion(multimodal, {
    models: ["logistic", "forest"],
    nEstimators: 8,
    seed,
  });

  return {
    logistic: { ...outcome(logistic, binary), nIter: logistic.nIter },
    multinomial: outcome(multinomial, multi),
    forest: outcome(forest, multi),
    entropyForest: outcome(entropyForest, multi),
    fusion: {
      majority: fusion.majority,
      results: fusion.results.map(({ ms, ...row }) => row),
    },
  };
}

/**
 * Rebuilds a logistic regression and a random forest from their `toJSON()`
 * text and predicts `X` (a number[][]) with each.
 */
export function predictFromJSON(wl, saved, X) {
  const logistic = wl.LogisticRegression.fromJSON(JSON.parse(saved.logistic));
  const forest = wl.RandomForestClassifier.fromJSON(JSON.parse(saved.forest));
  return {
    logistic: {
      proba: Array.from(logistic.predictProba(X).data),
      predictions: logistic.predict(X),
    },
    forest: {
      proba: Array.from(forest.predictProba(X).data),
      predictions: forest.predict(X),
    },
  };
}
