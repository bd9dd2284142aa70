/**
 * The default grid run against scikit-learn 1.2.1 (fixtures/automl_grid.json,
 * made by make_automl_fixture.py). Our generator's rows are not numpy's, so
 * one seed's test accuracy (200 rows, steps of 0.005) differs by chance;
 * the comparison is between means over seeds 0-9 on each side.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runAutoml } from "../../src/automl/experiment.js";
import { gridPoints, paramsKey } from "../../src/automl/space.js";
import { defaultSpace } from "../../src/automl/estimators.js";

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/automl_grid.json", import.meta.url), "utf8"),
) as {
  sklearn: string;
  seeds: {
    seed: number;
    bestTestAccuracy: number;
    defaultTestAccuracy: number;
  }[];
  meanOverSeeds0to9: { bestTestAccuracy: number; defaultTestAccuracy: number };
};

describe("the default grid run against scikit-learn", () => {
  it("evaluates exactly the 36 configurations of the course's grid", async () => {
    const r = await runAutoml({ seed: 42 });
    const keys = r.trials.map((t) => paramsKey(t.params));
    expect(new Set(keys).size).toBe(36);
    expect(new Set(keys)).toEqual(
      new Set(gridPoints(defaultSpace("forest")).map(paramsKey)),
    );
    expect(r.trials.every((t) => t.status === "ok")).toBe(true);
    expect(r.data).toMatchObject({ nTrain: 600, nValidation: 200, nTest: 200 });
  });

  it("has mean test accuracies within 0.02 of scikit-learn's over seeds 0-9", async () => {
    expect(fixture.sklearn).toBe("1.2.1");
    let best = 0;
    let byDefault = 0;
    for (let seed = 0; seed < 10; seed++) {
      const r = await runAutoml({ seed, jobs: 2 });
      best += r.best.testAccuracy / 10;
      byDefault += r.default.testAccuracy / 10;
    }
    const sk = fixture.meanOverSeeds0to9;
    expect(Math.abs(best - sk.bestTestAccuracy)).toBeLessThan(0.02);
    expect(Math.abs(byDefault - sk.defaultTestAccuracy)).toBeLessThan(0.02);
  });
});
