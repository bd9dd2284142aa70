// AutoML through the library: a TPE search of a random forest on the
// course's problem, scored by 5-fold cross-validation, with a space that
// mixes a list (null allowed) and ranges, and the search's trials run in
// two worker threads. Run: node examples/automl.mjs
import { destroyTrialPool, runAutoml } from "wasmlearn";

const result = await runAutoml({
  search: "tpe",
  trials: 12,
  cv: 5,
  jobs: 2,
  seed: 7,
  space: {
    maxDepth: { type: "categorical", values: [4, 8, null] },
    minSamplesLeaf: { type: "int", low: 1, high: 8 },
    maxFeatures: { type: "float", low: 0.1, high: 0.6 },
  },
});

for (const t of [...result.trials].sort((a, b) => a.rank - b.rank)) {
  const score = t.score === null ? "failed" : t.score.toFixed(4);
  const std = t.scoreStd === undefined ? "" : ` ± ${t.scoreStd.toFixed(4)}`;
  const flag = t.withinNoise ? "  (within noise of the best)" : "";
  console.log(`#${t.rank} ${JSON.stringify(t.params)}: ${score}${std}${flag}`);
}
console.log(
  `best test accuracy ${result.best.testAccuracy.toFixed(4)}, ` +
    `default forest ${result.default.testAccuracy.toFixed(4)}`,
);
await destroyTrialPool();
