import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

describe("the public API", () => {
  it("runs the README's library example", async () => {
    await api.ready();
    const X = [
      [0.1, 1.2],
      [1.5, -0.3],
      [2.2, 0.4],
      [-0.7, 0.9],
    ];
    const y = ["no", "yes", "yes", "no"];
    const model = new api.LogisticRegression({ backend: "wasm" }).fit(X, y);
    expect(model.predict([[1.8, 0.0]])).toEqual(["yes"]);
    expect(model.predictProba(X)).toMatchObject({ rows: 4, cols: 2 });
    expect(model.classes).toEqual(["no", "yes"]);
    expect(model.converged).toBe(true);
    const back = api.LogisticRegression.fromJSON(
      JSON.parse(JSON.stringify(model.toJSON())),
    );
    expect(back.predict(X)).toEqual(model.predict(X));
    const forest = new api.RandomForestClassifier({ randomState: 0 }).fit(X, y);
    expect(forest.predictProba(X).rows).toBe(4);
    const parallel = await new api.RandomForestClassifier({
      nJobs: 2,
      randomState: 0,
    }).fitAsync(X, y);
    expect(parallel.predict(X)).toEqual(forest.predict(X));
    const r = api.runFusion(api.makeMultimodal({ seed: 1 }), {
      split: "head",
      testSize: 0.2,
    });
    expect(r.results).toHaveLength(6);
  });

  it("is importable by its package name from compiled JavaScript", () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import { LogisticRegression, ready } from "wasmlearn"; await ready();' +
          "const m = new LogisticRegression().fit([[0],[1],[2],[3]], [0,0,1,1]);" +
          "console.log(JSON.stringify(m.predict([[0.2],[2.8]])));",
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual([0, 1]);
  });
});
