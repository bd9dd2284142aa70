// The library from JavaScript: a logistic regression on the shipped wdbc
// data, then the fusion experiment on mfeat. Run after `npm ci`:
//   node examples/library.mjs
import {
  LogisticRegression,
  StandardScaler,
  loadMfeat,
  loadWdbc,
  runFusion,
  takeRows,
  trainTestSplit,
} from "wasmlearn";

// Breast-cancer diagnosis: standardise on the training rows, fit, score.
const { X, y } = loadWdbc();
const { train, test } = trainTestSplit(X.rows, {
  testSize: 0.25,
  seed: 0,
  stratify: y,
});
const scaler = new StandardScaler().fit(takeRows(X, train));
const model = new LogisticRegression().fit(
  scaler.transform(takeRows(X, train)),
  Array.from(train, (i) => y[i]),
);
const accuracy = model.score(
  scaler.transform(takeRows(X, test)),
  Array.from(test, (i) => y[i]),
);
console.log(
  `wdbc: test accuracy ${accuracy.toFixed(4)} after ${model.nIter} L-BFGS iterations`,
);

// Fusion of three views of the handwritten digits.
const result = runFusion(loadMfeat(["factors", "karhunen", "zernike"]), {
  seed: 0,
});
for (const row of result.results) {
  console.log(`${row.method.padEnd(18)} ${row.accuracy.toFixed(4)}`);
}
