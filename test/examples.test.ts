import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = (args: string[]) =>
  execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });

describe("examples/", () => {
  it("make-csv.mjs writes files that reproduce the committed examples/data", () => {
    const dir = mkdtempSync(join(tmpdir(), "wasmlearn-ex-"));
    run(["examples/make-csv.mjs", dir]);
    for (const name of ["image", "text", "audio"]) {
      expect(readFileSync(join(dir, `${name}.csv`), "utf8")).toBe(
        readFileSync(join(root, "examples/data", `${name}.csv`), "utf8"),
      );
    }
  });

  it("the committed CSV files run through wasmlearn fusion --modality", () => {
    const out = run([
      "bin/wasmlearn.js",
      "fusion",
      "--json",
      "--label",
      "label",
      "--modality",
      "image=examples/data/image.csv",
      "--modality",
      "text=examples/data/text.csv",
      "--modality",
      "audio=examples/data/audio.csv",
    ]);
    const result = JSON.parse(out);
    expect(result.nTrain + result.nTest).toBe(300);
    const acc = Object.fromEntries(
      result.results.map((r: { method: string; accuracy: number }) => [
        r.method,
        r.accuracy,
      ]),
    );
    expect(acc.early).toBeGreaterThan(acc["modality:audio"]);
  });

  it("library.mjs runs and prints every fusion method", () => {
    const out = run(["examples/library.mjs"]);
    expect(out).toMatch(
      /^wdbc: test accuracy 0\.9\d+ after \d+ L-BFGS iterations/,
    );
    for (const m of ["modality:factors", "early", "late", "cross"])
      expect(out).toContain(m);
  });

  it("automl.mjs runs a TPE search through the library", () => {
    const out = run(["examples/automl.mjs"]);
    expect(out.match(/^#\d+ \{/gm)).toHaveLength(12);
    expect(out).toMatch(/best test accuracy 0\.\d{4}, default forest 0\.\d{4}/);
  });
});
