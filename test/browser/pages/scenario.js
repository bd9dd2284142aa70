// One seeded fit-and-predict scenario, run unchanged by a browser page
// (with dist/browser.js) and by Node (with dist/index.js or src/index.ts),
// so the tests can compare the two results exactly. Plain JavaScript, so a
// page loads it without a bundler; the result is plain JSON-safe data
// (no wall times, which differ from run to run).

/** Splits a classification problem into training and test rows. */
function split(wl, data, seed) {
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
 * Fits a logistic regression (binary and three classes), a random forest
 * and the fusion experiment (logistic and forest) on synthetic data from
 * `seed`. `wl` is the wasmlearn module, already `ready()`.
 */
export async function scenario(wl, seed) {
  const binary = split(
    wl,
    wl.makeClassification({
      nSamples: 160,
      nFeatures: 5,
      nInformative: 3,
      nClasses: 2,
      randomState: seed,
    }),
    seed,
  );
  const multi = split(
    wl,
    wl.makeClassification({
      nSamples: 240,
      nFeatures: 8,
      nInformative: 5,
      nClasses: 3,
      randomState: seed + 1,
    }),
    seed,
  );

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
  const fusion = wl.runFusion(wl.makeMultimodal({ nSamples: 200, seed }), {
    models: ["logistic", "forest"],
    nEstimators: 8,
    seed,
  });

  return {
    logistic: { ...outcome(logistic, binary), nIter: logistic.nIter },
    multinomial: outcome(multinomial, multi),
    forest: outcome(forest, multi),
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
