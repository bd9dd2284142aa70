import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeClassification } from "../../src/data/make-classification.js";
import { loadMfeat } from "../../src/data/mfeat.js";
import { matrix, takeRows } from "../../src/data/matrix.js";
import { trainTestSplit } from "../../src/data/split.js";
import { DataError } from "../../src/errors.js";
import { makeClassifier } from "../../src/models/classifier.js";
import {
  RandomForestClassifier,
  type RandomForestOptions,
} from "../../src/models/forest.js";
import {
  FOREST_MFEAT_VIEWS,
  FOREST_N_TRAIN,
  FOREST_SEEDS,
  FOREST_SYNTHETIC,
} from "./fixtures/forest-settings.js";

interface Runs {
  mean_accuracy: number;
  mean_oob_score: number;
}
const fixture: {
  synthetic: Record<string, Runs & { data: keyof typeof FOREST_SYNTHETIC }>;
  mfeat: Record<string, Runs>;
} = JSON.parse(
  readFileSync(
    new URL("./fixtures/forest_accuracy.json", import.meta.url),
    "utf8",
  ),
);

/** Our options for each synthetic fixture case (scikit-learn's kwargs there). */
const SYNTHETIC_OPTIONS: Record<string, RandomForestOptions> = {
  binary: {},
  multiclass: {},
  "multiclass-entropy": {
    criterion: "entropy",
    maxDepth: 6,
    minSamplesLeaf: 3,
    maxFeatures: 0.5,
  },
};

/**
 * Mean test accuracy and OOB score of 100-tree forests over seeds 0..9,
 * the same settings, data and splits as scikit-learn's in the fixture.
 * Single runs differ by a few hundredths (other random streams); the means
 * of 10 agree within 0.01.
 */
describe("RandomForestClassifier against scikit-learn 1.2.1 (means over 10 seeds)", () => {
  for (const [name, sk] of Object.entries(fixture.synthetic)) {
    it(`makeClassification ${name}: accuracy within 0.01`, () => {
      let acc = 0;
      let oob = 0;
      for (const seed of FOREST_SEEDS) {
        const { X, y } = makeClassification({
          ...FOREST_SYNTHETIC[sk.data],
          randomState: seed,
        });
        const train = Array.from({ length: FOREST_N_TRAIN }, (_, i) => i);
        const test = Array.from(
          { length: X.rows - FOREST_N_TRAIN },
          (_, i) => i + FOREST_N_TRAIN,
        );
        const f = new RandomForestClassifier({
          ...SYNTHETIC_OPTIONS[name],
          randomState: seed,
          oobScore: true,
        }).fit(
          takeRows(X, train),
          train.map((i) => y[i]),
        );
        acc +=
          f.score(
            takeRows(X, test),
            test.map((i) => y[i]),
          ) / FOREST_SEEDS.length;
        oob += f.oobScore / FOREST_SEEDS.length;
      }
      expect(Math.abs(acc - sk.mean_accuracy)).toBeLessThan(0.01);
      expect(Math.abs(oob - sk.mean_oob_score)).toBeLessThan(0.015);
    });
  }

  for (const view of FOREST_MFEAT_VIEWS) {
    it(`mfeat ${view}: accuracy within 0.01`, () => {
      const ds = loadMfeat([view]);
      const X = ds.modalities[0].X;
      let acc = 0;
      for (const seed of FOREST_SEEDS) {
        const s = trainTestSplit(ds.y.length, {
          seed,
          stratify: ds.y,
          testSize: 0.25,
        });
        const f = new RandomForestClassifier({ randomState: seed }).fit(
          takeRows(X, s.train),
          Array.from(s.train, (i) => ds.y[i]),
        );
        const yTest = Array.from(s.test, (i) => ds.y[i]);
        acc += f.score(takeRows(X, s.test), yTest) / FOREST_SEEDS.length;
      }
      expect(Math.abs(acc - fixture.mfeat[view].mean_accuracy)).toBeLessThan(
        0.01,
      );
    });
  }
});

describe("RandomForestClassifier", () => {
  const { X, y } = makeClassification({
    nSamples: 300,
    nFeatures: 10,
    nClasses: 3,
    nInformative: 4,
    randomState: 2,
  });

  it("grows the same forest on both backends, and each tree from (seed, index) alone", () => {
    const a = new RandomForestClassifier({
      nEstimators: 8,
      randomState: 5,
    }).fit(X, y);
    const b = new RandomForestClassifier({
      nEstimators: 8,
      randomState: 5,
      backend: "ts",
    }).fit(X, y);
    expect(b.trees).toEqual(a.trees);
    expect(b.predictProba(X)).toEqual(a.predictProba(X));
    const c = new RandomForestClassifier({
      nEstimators: 3,
      randomState: 5,
    }).fit(X, y);
    expect(c.trees).toEqual(a.trees.slice(0, 3));
    const d = new RandomForestClassifier({
      nEstimators: 3,
      randomState: 6,
    }).fit(X, y);
    expect(d.trees[0]).not.toEqual(a.trees[0]);
  });

  it("aligns probabilities to the forest's classes when a bootstrap sample misses a class", () => {
    // One row of class "rare" among 60: about a third of the trees never see it.
    const n = 60;
    const Xr = matrix(
      n,
      2,
      Float64Array.from({ length: 2 * n }, (_, p) => (p * 37) % 11),
    );
    const yr = Array.from({ length: n }, (_, i) =>
      i === 0 ? "rare" : i % 2 ? "a" : "b",
    );
    const f = new RandomForestClassifier({
      nEstimators: 30,
      randomState: 1,
    }).fit(Xr, yr);
    expect(f.classes).toEqual(["a", "b", "rare"]);
    const missed = f.trees.filter((t) => t.value[2] === 0).length;
    expect(missed).toBeGreaterThan(0);
    const p = f.predictProba(Xr);
    expect(p.cols).toBe(3);
    for (let i = 0; i < n; i++) {
      expect(p.data[3 * i] + p.data[3 * i + 1] + p.data[3 * i + 2]).toBeCloseTo(
        1,
        12,
      );
    }
  });

  it("reports feature importances that sum to 1, 0 for unused features, never NaN", () => {
    const Xc = matrix(X.rows, 11, new Float64Array(X.rows * 11));
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < 10; j++) Xc.data[i * 11 + j] = X.data[i * 10 + j];
      Xc.data[i * 11 + 10] = 4; // constant: never split on
    }
    const f = new RandomForestClassifier({
      nEstimators: 10,
      randomState: 0,
    }).fit(Xc, y);
    const imp = f.featureImportances;
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(imp[10]).toBe(0);
    expect(imp.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });

  it("handles a single-class training set and a constant feature", () => {
    const f = new RandomForestClassifier({
      nEstimators: 5,
      randomState: 0,
    }).fit(
      [
        [1, 5],
        [2, 5],
        [3, 5],
      ],
      ["only", "only", "only"],
    );
    expect(f.predict([[10, 0]])).toEqual(["only"]);
    expect(Array.from(f.predictProba([[10, 0]]).data)).toEqual([1]);
    expect(Array.from(f.featureImportances)).toEqual([0, 0]);
    const g = new RandomForestClassifier({
      nEstimators: 5,
      randomState: 0,
    }).fit([[5], [5], [5], [5]], [0, 1, 0, 1]);
    expect(
      Array.from(g.predictProba([[5]]).data).reduce((s, v) => s + v, 0),
    ).toBeCloseTo(1, 14);
  });

  it("computes an out-of-bag score close to the test accuracy", () => {
    const o = { nEstimators: 40, randomState: 3, oobScore: true };
    const f = new RandomForestClassifier(o).fit(X, y);
    expect(f.oobScore).toBeGreaterThan(0.5);
    expect(f.oobDecisionFunction.rows).toBe(X.rows);
    const plain = new RandomForestClassifier({
      nEstimators: 2,
      randomState: 3,
    }).fit(X, y);
    expect(() => plain.oobScore).toThrow(RangeError);
  });

  it("round-trips through JSON with identical predictions", () => {
    const f = new RandomForestClassifier({
      nEstimators: 6,
      randomState: 8,
    }).fit(X, y);
    const back = RandomForestClassifier.fromJSON(
      JSON.parse(JSON.stringify(f.toJSON())),
    );
    expect(back.predictProba(X)).toEqual(f.predictProba(X));
    expect(back.predict(X)).toEqual(f.predict(X));
    expect(back.featureImportances).toEqual(f.featureImportances);
    expect(() =>
      RandomForestClassifier.fromJSON({ ...f.toJSON(), trees: [] }),
    ).toThrow(RangeError);
  });

  it("rejects bad options and data with clear errors", () => {
    expect(() => new RandomForestClassifier({ minSamplesSplit: 1 })).toThrow(
      "minSamplesSplit must be an integer >= 2 or a fraction in (0, 1), got 1",
    );
    expect(() => new RandomForestClassifier({ minSamplesSplit: 2.5 })).toThrow(
      "minSamplesSplit must be an integer >= 2 or a fraction in (0, 1), got 2.5",
    );
    expect(() => new RandomForestClassifier({ maxFeatures: 0 })).toThrow(
      /maxFeatures must be/,
    );
    expect(() => new RandomForestClassifier({ nEstimators: 0 })).toThrow(
      "nEstimators must be an integer >= 1, got 0",
    );
    for (const bootstrap of ["false", "no", 0, 1, null])
      expect(
        () => new RandomForestClassifier({ bootstrap } as never),
        String(bootstrap),
      ).toThrow(/^bootstrap must be true or false, got /);
    expect(
      () => new RandomForestClassifier({ oobScore: "yes" } as never),
    ).toThrow(/^oobScore must be true or false, got /);
    const noBag = { oobScore: true, bootstrap: false };
    expect(() => new RandomForestClassifier(noBag)).toThrow(RangeError);
    expect(() =>
      new RandomForestClassifier().fit(
        [
          [1, 2],
          [NaN, 3],
        ],
        [0, 1],
      ),
    ).toThrow("X must contain only finite numbers, got NaN at row 1, column 0");
    expect(() =>
      new RandomForestClassifier().fit([[1], [2]], [0, NaN]),
    ).toThrow(TypeError);
    expect(() => new RandomForestClassifier().fit([], [])).toThrow(DataError);
  });
});

describe('makeClassifier("forest")', () => {
  it("builds a seeded forest with the experiment's settings", () => {
    const m = makeClassifier("forest", {
      seed: 3,
      backend: "ts",
      nEstimators: 4,
    });
    expect(m).toBeInstanceOf(RandomForestClassifier);
    expect((m as RandomForestClassifier).options).toMatchObject({
      randomState: 3,
      backend: "ts",
      nEstimators: 4,
    });
  });
});
