import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatFusion } from "../../src/cli/fusion.js";
import { makeMultimodal } from "../../src/data/synthetic.js";
import { runFusion } from "../../src/fusion/experiment.js";
import { runCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "wasmlearn-cli-"));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** `wasmlearn fusion` on modality files a and b with label column "kind". */
function fuseFiles(a: string, b: string, ...extra: string[]) {
  return runCli([
    "fusion",
    "--modality",
    `a=${a}`,
    "--modality",
    `b=${b}`,
    "--label",
    "kind",
    ...extra,
  ]);
}

/** Two small aligned modality files with a label column. */
function modalityFiles(n = 40) {
  const rows = (f: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => f(i)).join("\n");
  const label = (i: number) => (i % 2 === 0 ? "cat" : "dog");
  const a = csv(
    "a.csv",
    `a1,a2,kind\n${rows((i) => `${(i % 2) + Math.sin(i)},${Math.cos(i)},${label(i)}`)}\n`,
  );
  const b = csv(
    "b.csv",
    `b1,kind\n${rows((i) => `${(i % 2) * 0.5 + Math.sin(3 * i)},${label(i)}`)}\n`,
  );
  return { a, b };
}

describe("wasmlearn fusion", () => {
  it("prints the table and the chart for the default run, nothing on stderr", async () => {
    const { code, stdout, stderr } = await runCli(["fusion"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(
      /Multimodal fusion on synthetic: 3 modalities \(image 10, text 8, audio 6 features\), 2 classes/,
    );
    expect(stdout).toMatch(
      /800 train \/ 200 test rows \(head split, seed 42\)/,
    );
    for (const m of [
      "modality:image",
      "modality:text",
      "modality:audio",
      "early",
      "late",
      "cross",
    ]) {
      expect(stdout).toContain(m);
    }
  });

  it("report layout at width 80 (snapshot, timings fixed)", () => {
    const result = runFusion(makeMultimodal({ seed: 42 }), {
      seed: 42,
      split: "head",
      testSize: 0.2,
    });
    for (const r of result.results) r.ms = 1;
    expect(
      formatFusion(result, ["logistic"], { columns: 80, color: false }, 0.5),
    ).toMatchSnapshot();
  });

  it("--json gives the documented keys", async () => {
    const { code, stdout } = await runCli(["fusion", "--json", "--seed", "7"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      dataset: "synthetic",
      model: "logistic",
      backend: "wasm",
      seed: 7,
    });
    expect(out.results.map((r: { method: string }) => r.method)).toEqual([
      "modality:image",
      "modality:text",
      "modality:audio",
      "early",
      "late",
      "cross",
    ]);
    for (const r of out.results) expect(r.accuracy).toBeGreaterThanOrEqual(0);
  });

  it("--model both reports each method for logistic regression and the forest", async () => {
    const { code, stdout } = await runCli([
      "fusion",
      "--model",
      "both",
      "--trees",
      "10",
      "--json",
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.model).toBe("both");
    expect(out.results.map((r: { model: string }) => r.model)).toEqual([
      ...new Array(6).fill("logistic"),
      ...new Array(6).fill("forest"),
    ]);
    const text = (await runCli(["fusion", "--model", "both", "--trees", "10"]))
      .stdout;
    expect(text).toMatch(/█ logistic regression  ▓ random forest/);
  });

  it("seeded runs are reproducible and --backend ts agrees with wasm", async () => {
    const acc = async (args: string[]) =>
      JSON.parse(
        (await runCli(["fusion", "--json", ...args])).stdout,
      ).results.map((r: { accuracy: number }) => r.accuracy);
    const a = await acc(["--seed", "3"]);
    expect(await acc(["--seed", "3"])).toEqual(a);
    expect(await acc(["--seed", "3", "--backend", "ts"])).toEqual(a);
  });

  it("runs on the user's own modality files", async () => {
    const { a, b } = modalityFiles();
    const { code, stdout, stderr } = await runCli([
      "fusion",
      "--modality",
      `left=${a}`,
      "--modality",
      `right=${b}`,
      "--label",
      "kind",
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.classes).toEqual(["cat", "dog"]);
    expect(out.results.map((r: { method: string }) => r.method)).toEqual([
      "modality:left",
      "modality:right",
      "early",
      "late",
      "cross",
    ]);
  });

  it("--help lists the options and examples", async () => {
    const { code, stdout } = await runCli(["fusion", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--dataset <name>/);
    expect(stdout).toMatch(/Examples:/);
  });

  describe("errors: one line on stderr, exit 1, nothing on stdout", () => {
    const { a, b } = modalityFiles();
    const cases: [string, string[], RegExp][] = [
      [
        "a non-numeric seed",
        ["--seed", "abc"],
        /error: option '--seed <n>' argument 'abc' is invalid\. must be an integer from 0 to 4294967295, got "abc"/,
      ],
      [
        "an unknown backend",
        ["--backend", "gpu"],
        /argument 'gpu' is invalid\. must be one of wasm, ts, got "gpu"/,
      ],
      [
        "a test size of 1.5",
        ["--test-size", "1.5"],
        /must be a fraction in \(0, 1\) or a whole number of rows >= 1, got "1.5"/,
      ],
      ["a negative C", ["--C", "-1"], /must be a number > 0, got "-1"/],
      [
        "an unknown mfeat view",
        ["--dataset", "mfeat", "--views", "factors,colour"],
        /colour/,
      ],
      [
        "one modality only",
        ["--modality", `a=${a}`, "--label", "kind"],
        /--modality must be given at least twice, got 1/,
      ],
      [
        "a missing label column",
        ["--modality", `a=${a}`, "--modality", `b=${b}`, "--label", "species"],
        /species/,
      ],
      [
        "a missing file",
        [
          "--modality",
          `a=${a}`,
          "--modality",
          `b=${join(dir, "nope.csv")}`,
          "--label",
          "kind",
        ],
        /nope\.csv/,
      ],
      [
        "a bad modality spec",
        ["--modality", "justafile.csv"],
        /must be NAME=FILE\.csv, got "justafile\.csv"/,
      ],
      ["an unknown option", ["--colour"], /unknown option '--colour'/],
      [
        "--dataset with --modality",
        [
          "--dataset",
          "mfeat",
          "--modality",
          `a=${a}`,
          "--modality",
          `b=${b}`,
          "--label",
          "kind",
        ],
        /--dataset and --modality exclude each other/,
      ],
      [
        "--samples with mfeat",
        ["--dataset", "mfeat", "--samples", "50"],
        /--samples does not apply to --dataset mfeat/,
      ],
      [
        "--views without mfeat",
        ["--views", "pixel,zernike"],
        /--views does not apply to --dataset synthetic/,
      ],
      [
        "a single mfeat view",
        ["--dataset", "mfeat", "--views", "pixel"],
        /--views must name at least 2 views, got 1/,
      ],
      [
        "a test size leaving one training row",
        ["--test-size", "999"],
        /--test-size must leave at least 2 of the 1000 rows for training, got 999/,
      ],
      [
        "a directory",
        ["--modality", `a=${dir}`, "--modality", `b=${b}`, "--label", "kind"],
        /path must name a file, got the directory/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(`rejects ${what}`, async () => {
        const { code, stdout, stderr } = await runCli(["fusion", ...args]);
        expect(code).toBe(1);
        expect(stdout).toBe("");
        expect(stderr).toMatch(message);
        expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      });
    }

    it("rejects a FIFO without blocking on it", async () => {
      const fifo = join(dir, "pipe.csv");
      execFileSync("mkfifo", [fifo]);
      const r = await fuseFiles(fifo, b);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /path must name a regular file, got ".*pipe\.csv"/,
      );
    });

    it("reports unreadable paths (ENOTDIR, ELOOP) as user errors", async () => {
      const loop = join(dir, "loop.csv");
      execFileSync("ln", ["-s", loop, loop]);
      for (const [path, message] of [
        [`${a}/x.csv`, /ENOTDIR/],
        [loop, /ELOOP/],
      ] as const) {
        const r = await fuseFiles(path, b);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^error: cannot read /);
        expect(r.stderr).toMatch(message);
      }
    });

    it("rejects a gzip file that unpacks past the 256 MiB limit", async () => {
      const bomb = join(dir, "bomb.csv.gz");
      writeFileSync(bomb, gzipSync(Buffer.alloc(257 * 1024 * 1024, 0x30)));
      const r = await fuseFiles(bomb, b);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/bomb\.csv\.gz unpacks to more than 256 MiB/);
    });

    it("rejects modalities with different row counts, naming both files", async () => {
      const short = csv("short.csv", "b1,kind\n0.1,cat\n0.2,dog\n");
      const { code, stderr } = await fuseFiles(a, short);
      expect(code).toBe(1);
      expect(stderr).toMatch(/a\.csv/);
      expect(stderr).toMatch(/short\.csv/);
    });

    it("rejects NaN, ragged rows and a single class", async () => {
      const nan = csv("nan.csv", "x,kind\n1,cat\nNaN,dog\n3,cat\n");
      const ragged = csv("ragged.csv", "x,kind\n1,cat\n2\n3,cat\n");
      const one1 = csv("one1.csv", "x,kind\n1,cat\n2,cat\n3,cat\n4,cat\n");
      const one2 = csv("one2.csv", "z,kind\n1,cat\n2,cat\n3,cat\n4,cat\n");
      for (const [file, message] of [
        [nan, /NaN/],
        [ragged, /ragged|has 1/],
      ] as const) {
        const r = await fuseFiles(file, file);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(message);
      }
      const r = await fuseFiles(one1, one2, "--test-size", "1");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/class/);
    });
  });
});

describe("the wasmlearn executable", () => {
  const bin = fileURLToPath(new URL("../../bin/wasmlearn.js", import.meta.url));

  it("runs the compiled CLI and exits 0", () => {
    const out = execFileSync(process.execPath, [bin, "fusion", "--json"], {
      encoding: "utf8",
    });
    expect(JSON.parse(out).results).toHaveLength(6);
  });

  it("exits 1 with the error on stderr and an empty stdout", () => {
    const r = spawnSync(process.execPath, [bin, "fusion", "--seed", "-1"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^error: option '--seed <n>' argument '-1' is invalid/,
    );
  });
});
