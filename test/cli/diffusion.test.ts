import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "wasmlearn-diffusion-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A user error: one line on stderr, exit 1, nothing on stdout. */
async function expectUserError(argv: string[], message: string | RegExp) {
  const { code, stdout, stderr } = await runCli(argv);
  expect(code).toBe(1);
  expect(stdout).toBe("");
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(message);
}

describe("wasmlearn diffusion (the course's demo)", () => {
  it("draws the signal, four forward samples and both reverse runs (snapshot)", async () => {
    const { code, stdout, stderr } = await runCli(["diffusion"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatchSnapshot();
    for (const line of stdout.split("\n"))
      expect([...line].length).toBeLessThanOrEqual(80);
  });

  it("--json has schedule, steps, oracle, courseVariant and signals", async () => {
    const { code, stdout } = await runCli([
      "diffusion",
      "--json",
      "--schedule",
      "quadratic",
      "--steps",
      "30",
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      schedule: "quadratic",
      steps: 30,
      timesteps: [0, 6, 15, 29],
    });
    expect(out.oracle.mse).toBeLessThan(1e-20);
    expect(out.courseVariant.mse).toBeGreaterThan(out.zeros.mse);
    expect(out.signals.map((s: { name: string }) => s.name)).toEqual([
      "original",
      "x_0",
      "x_6",
      "x_15",
      "x_29",
      "oracle reconstruction",
      "course variant",
    ]);
  });

  it("rejects bad --steps and an unknown --schedule", async () => {
    await expectUserError(
      ["diffusion", "--steps", "0"],
      /--steps <n>' argument '0' is invalid. must be an integer from 1 to 10000, got "0"/,
    );
    await expectUserError(
      ["diffusion", "--schedule", "sigmoid"],
      /must be one of linear, cosine, quadratic, got "sigmoid"/,
    );
    await expectUserError(
      ["diffusion", "train", "--steps", "x"],
      /must be an integer from 2 to 10000, got "x"/,
    );
  });
});

describe("wasmlearn diffusion train and sample", () => {
  const model = join(dir, "model.json");
  const small = [
    "--signals",
    "64",
    "--epochs",
    "3",
    "--steps",
    "10",
    "--hidden",
    "8",
    "--batch-size",
    "16",
  ];

  it("train --json saves a model and reports losses and held-out losses", async () => {
    const { code, stdout, stderr } = await runCli([
      "diffusion",
      "train",
      ...small,
      "--save",
      model,
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      schedule: "cosine",
      steps: 10,
      epochs: 3,
      nSteps: 12,
      saved: model,
    });
    expect(out.losses).toHaveLength(3);
    expect(out.heldOut.trained).toBeGreaterThan(0);
  });

  it("train prints a loss chart and progress with -v on stderr", async () => {
    const { code, stdout, stderr } = await runCli([
      "diffusion",
      "train",
      ...small,
      "-v",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/mean noise-prediction loss per epoch/);
    expect(stdout).toMatch(/held-out denoising loss/);
    expect(stderr).toMatch(/epoch {6}3\/3 {2}loss \d\.\d{4}/);
  });

  it("sample draws each sample as a chart and compares sine fits with noise", async () => {
    const { code, stdout } = await runCli([
      "diffusion",
      "sample",
      "--model",
      model,
      "--n",
      "2",
      "--sampler",
      "ddim",
      "--sampling-steps",
      "5",
    ]);
    expect(code).toBe(0);
    expect(stdout.match(/^sample \d: best sine/gm)).toHaveLength(2);
    expect(stdout).toMatch(/pure noise N\(0, I\)/);
    expect(stdout).toMatch(
      /^random sines \(A 0\.5-1\.5\)\s+0\.0000\s+0\.0000\s+\d\.\d\d$/m,
    );
    const json = JSON.parse(
      (
        await runCli([
          "diffusion",
          "sample",
          "--model",
          model,
          "--n",
          "3",
          "--json",
        ])
      ).stdout,
    );
    expect(json.samples).toHaveLength(3);
    expect(json.samples[0].values).toHaveLength(100);
    expect(Object.keys(json.quality)).toEqual(["samples", "noise", "sines"]);
    for (const q of Object.values(json.quality) as Record<string, number>[])
      expect(Object.keys(q)).toEqual(["residual", "unexplained", "amplitude"]);
    // the reference sines are the training family: amplitudes 0.5 to 1.5
    expect(json.quality.sines.amplitude).toBeGreaterThan(0.5);
    expect(json.quality.sines.amplitude).toBeLessThan(1.5);
    expect(json.quality.sines.unexplained).toBeLessThan(1e-6);
  });

  it("rejects a missing model file, malformed JSON and a foreign JSON object", async () => {
    await expectUserError(
      ["diffusion", "sample", "--model", join(dir, "none.json")],
      /^error: --model: path must name an existing file, got ".*none.json"/,
    );
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    await expectUserError(
      ["diffusion", "sample", "--model", bad],
      /^error: --model file ".*bad.json" is not valid JSON/,
    );
    const foreign = join(dir, "foreign.json");
    writeFileSync(foreign, '{"format": "other"}');
    await expectUserError(
      ["diffusion", "sample", "--model", foreign],
      /is not a saved model: model must have format/,
    );
    await expectUserError(
      ["diffusion", "sample"],
      /required option '--model <file.json>' not specified/,
    );
    // a well-formed model whose weights overflow: no quality table of NaNs
    const saved = JSON.parse(readFileSync(model, "utf8"));
    const blowUp = (o: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(o)) {
        if (Array.isArray(v) && v.length > 100 && typeof v[0] === "number")
          o[k] = v.map(() => 1e308);
        else if (v && typeof v === "object")
          blowUp(v as Record<string, unknown>);
      }
    };
    blowUp(saved);
    const huge = join(dir, "huge.json");
    writeFileSync(huge, JSON.stringify(saved));
    await expectUserError(
      ["diffusion", "sample", "--model", huge, "--n", "2"],
      /^error: the samples of .*huge\.json must be finite numbers, got NaN/,
    );
  });

  it("train --data reads the user's signals and rejects ragged ones", async () => {
    const csv = join(dir, "signals.csv");
    writeFileSync(
      csv,
      Array.from({ length: 12 }, (_, i) =>
        Array.from({ length: 16 }, (_, j) =>
          Math.sin(i + j / 3).toFixed(4),
        ).join(","),
      ).join("\n"),
    );
    const { code, stdout } = await runCli([
      "diffusion",
      "train",
      "--data",
      csv,
      "--epochs",
      "2",
      "--steps",
      "5",
      "--hidden",
      "4",
      "--json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      nTrain: 11,
      nHeldOut: 1,
      length: 16,
    });
    const ragged = join(dir, "ragged.csv");
    writeFileSync(ragged, "1,2,3\n4,5\n");
    await expectUserError(
      ["diffusion", "train", "--data", ragged],
      /line 2: every signal must have 3 values, got 2/,
    );
  });
});
