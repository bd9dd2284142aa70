import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FlatTree } from "../../src/backend.js";
import { makeClassification } from "../../src/data/make-classification.js";
import { takeRows } from "../../src/data/matrix.js";
import { DataError, NotFittedError } from "../../src/errors.js";
import { DecisionTreeClassifier } from "../../src/models/tree.js";
import {
  FOREST_N_TRAIN,
  FOREST_SYNTHETIC,
} from "./fixtures/forest-settings.js";

interface SkTree {
  node_count: number;
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  n_node_samples: number[];
  impurity: number[];
  value: number[][];
  feature_importances: number[];
}

const fixture: Record<string, SkTree> = JSON.parse(
  readFileSync(
    new URL("./fixtures/tree_synthetic.json", import.meta.url),
    "utf8",
  ),
);

/**
 * Compares two trees from their roots. Where both split on the same
 * feature, thresholds agree to float32 precision (scikit-learn casts X to
 * float32) and children pair up in order. Where the features differ, the
 * two splits must tie (same children up to order): the random feature
 * order broke a tie differently. Returns the number of such ties.
 */
function compareTrees(t: FlatTree, s: SkTree, K: number): number {
  let ties = 0;
  const same = (a: number, b: number) => {
    const va = Array.from(t.value.subarray(a * K, a * K + K));
    return (
      t.nNodeSamples[a] === s.n_node_samples[b] &&
      Math.abs(t.impurity[a] - s.impurity[b]) < 1e-12 &&
      va.every((v, k) => v === s.value[b][k])
    );
  };
  const walk = (a: number, b: number): void => {
    expect(same(a, b), `node ${a} against sklearn node ${b}`).toBe(true);
    expect(t.left[a] < 0).toBe(s.left[b] < 0);
    if (t.left[a] < 0) return;
    let pairs: [number, number][] = [
      [t.left[a], s.left[b]],
      [t.right[a], s.right[b]],
    ];
    if (t.feature[a] === s.feature[b]) {
      const scale = Math.max(1, Math.abs(s.threshold[b]));
      expect(Math.abs(t.threshold[a] - s.threshold[b]) / scale).toBeLessThan(
        1e-6,
      );
    } else {
      ties++;
      if (!same(t.left[a], s.left[b]))
        pairs = [
          [t.left[a], s.right[b]],
          [t.right[a], s.left[b]],
        ];
    }
    for (const [x, z] of pairs) walk(x, z);
  };
  walk(0, 0);
  return ties;
}

describe("DecisionTreeClassifier against scikit-learn 1.2.1", () => {
  for (const data of ["binary", "multiclass"] as const) {
    for (const criterion of ["gini", "entropy"] as const) {
      it(`grows scikit-learn's tree on ${data} data with ${criterion} (minSamplesLeaf 20)`, () => {
        const s = fixture[`${data}-${criterion}`];
        const { X, y } = makeClassification({
          ...FOREST_SYNTHETIC[data],
          randomState: 0,
        });
        const rows = Array.from({ length: FOREST_N_TRAIN }, (_, i) => i);
        const model = new DecisionTreeClassifier({
          criterion,
          minSamplesLeaf: 20,
          randomState: 0,
        }).fit(
          takeRows(X, rows),
          rows.map((i) => y[i]),
        );
        const t = model.tree;
        expect(t.nodeCount).toBe(s.node_count);
        const ties = compareTrees(t, s, model.classes.length);
        expect(ties).toBeLessThanOrEqual(2);
        if (ties === 0) {
          model.featureImportances.forEach((v, j) =>
            expect(v).toBeCloseTo(s.feature_importances[j], 12),
          );
        }
      });
    }
  }
});

describe("DecisionTreeClassifier", () => {
  const { X, y } = makeClassification({
    nSamples: 300,
    nFeatures: 8,
    randomState: 3,
  });

  it("fits distinct training rows exactly when unlimited, on both backends alike", () => {
    const a = new DecisionTreeClassifier({ randomState: 1 }).fit(X, y);
    expect(a.score(X, y)).toBe(1);
    const b = new DecisionTreeClassifier({ randomState: 1, backend: "ts" }).fit(
      X,
      y,
    );
    expect(b.tree).toEqual(a.tree);
    expect(a.predictProba(X)).toEqual(b.predictProba(X));
  });

  it("limits depth and leaf sizes, with fractions resolved against nSamples", () => {
    expect(
      new DecisionTreeClassifier({ maxDepth: 3, randomState: 0 }).fit(X, y)
        .depth,
    ).toBe(3);
    const leafy = new DecisionTreeClassifier({
      minSamplesLeaf: 0.1,
      randomState: 0,
    }).fit(X, y);
    expect(Math.min(...leafy.tree.nNodeSamples)).toBeGreaterThanOrEqual(30);
    const split = new DecisionTreeClassifier({
      minSamplesSplit: 0.5,
      randomState: 0,
    }).fit(X, y);
    for (let a = 0; a < split.tree.nodeCount; a++) {
      if (split.tree.left[a] >= 0)
        expect(split.tree.nNodeSamples[a]).toBeGreaterThanOrEqual(150);
    }
  });

  it("accepts string labels, a single class and a constant feature", () => {
    const rows = [
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
    ];
    const labels = ["b", "a", "b", "a"];
    const m = new DecisionTreeClassifier({ randomState: 0 }).fit(rows, labels);
    expect(m.classes).toEqual(["a", "b"]);
    expect(m.predict(rows)).toEqual(labels);
    expect(m.featureImportances[1]).toBe(0);
    const one = new DecisionTreeClassifier().fit(rows, [7, 7, 7, 7]);
    expect(one.predict([[9, 9]])).toEqual([7]);
    expect(Array.from(one.predictProba([[9, 9]]).data)).toEqual([1]);
    expect(Array.from(one.featureImportances)).toEqual([0, 0]);
  });

  it("round-trips through JSON with identical predictions", () => {
    const m = new DecisionTreeClassifier({
      maxFeatures: "sqrt",
      randomState: 4,
    }).fit(X, y);
    const back = DecisionTreeClassifier.fromJSON(
      JSON.parse(JSON.stringify(m.toJSON())),
    );
    expect(back.predictProba(X)).toEqual(m.predictProba(X));
    const bad = m.toJSON();
    bad.tree.left[0] = 0;
    expect(() => DecisionTreeClassifier.fromJSON(bad)).toThrow(RangeError);
  });

  it("rejects bad options and data with clear errors", () => {
    expect(() => new DecisionTreeClassifier({ minSamplesSplit: 1 })).toThrow(
      "minSamplesSplit must be an integer >= 2 or a fraction in (0, 1), got 1",
    );
    expect(() => new DecisionTreeClassifier({ minSamplesSplit: 2.5 })).toThrow(
      RangeError,
    );
    expect(() => new DecisionTreeClassifier({ minSamplesLeaf: 0 })).toThrow(
      RangeError,
    );
    expect(() => new DecisionTreeClassifier({ maxFeatures: 0 })).toThrow(
      'maxFeatures must be "sqrt", "log2", null, an integer >= 1 or a fraction in (0, 1), got 0',
    );
    expect(() => new DecisionTreeClassifier({ maxDepth: 0 })).toThrow(
      RangeError,
    );
    expect(
      () => new DecisionTreeClassifier({ criterion: "mse" as "gini" }),
    ).toThrow(RangeError);
    expect(() =>
      new DecisionTreeClassifier({ maxFeatures: 9 }).fit(X, y),
    ).toThrow("maxFeatures must be at most nFeatures (8), got 9");
    expect(() =>
      new DecisionTreeClassifier().fit([[1], [NaN]], [0, 1]),
    ).toThrow(DataError);
    expect(() => new DecisionTreeClassifier().fit([[1], [2]], [0])).toThrow(
      DataError,
    );
    expect(() => new DecisionTreeClassifier().predict([[1]])).toThrow(
      NotFittedError,
    );
    const m = new DecisionTreeClassifier().fit([[1], [2]], [0, 1]);
    expect(() => m.predict([[1, 2]])).toThrow(
      "X must have 1 features as in fit, got 2",
    );
  });
});
