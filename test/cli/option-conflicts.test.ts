/**
 * Options that do not apply to what was asked are errors, not silently
 * ignored; run-time failures outside wasmlearn (an unreachable coordinator)
 * are user errors with one line, not internal errors.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "wasmlearn-conflicts-"));

async function expectOneLineError(argv: string[], message: RegExp) {
  const r = await runCli(argv);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
}

describe("options that do not apply", () => {
  const cases: [string[], RegExp][] = [
    [
      ["fusion", "--trees", "5"],
      /^error: --trees does not apply to --model logistic/,
    ],
    [
      ["fusion", "--model", "forest", "--C", "2"],
      /^error: --C does not apply to --model forest/,
    ],
    [
      ["fusion", "--model", "forest", "--max-iter", "5"],
      /^error: --max-iter does not apply to --model forest/,
    ],
    [
      ["federated", "--model", "forest", "--secure"],
      /^error: --secure does not apply to --model forest/,
    ],
    [
      ["federated", "--model", "forest", "--dp-noise", "1"],
      /^error: --dp-noise does not apply to --model forest/,
    ],
    [
      ["federated", "--clip", "2"],
      /^error: --clip applies with --dp-noise only/,
    ],
    [["federated", "--no-scale"], /^error: --no-scale applies to --data only/],
    [
      ["federated", "--trees", "9"],
      /^error: --trees does not apply to --model logistic/,
    ],
  ];
  for (const [argv, message] of cases) {
    it(`rejects ${argv.join(" ")}`, () => expectOneLineError(argv, message));
  }

  it("diffusion sample rejects --eta with ddpm and --variance with ddim", async () => {
    const model = join(dir, "m.json");
    writeFileSync(model, "{}");
    await expectOneLineError(
      ["diffusion", "sample", "--model", model, "--eta", "0.5"],
      /--eta applies to --sampler ddim only/,
    );
    await expectOneLineError(
      [
        "diffusion",
        "sample",
        "--model",
        model,
        "--sampler",
        "ddim",
        "--variance",
        "large",
      ],
      /--variance applies to --sampler ddpm only/,
    );
  });

  it("diffusion train checks --save before training", async () => {
    const t0 = performance.now();
    await expectOneLineError(
      ["diffusion", "train", "--save", join(dir, "missing", "m.json")],
      /--save file ".*m\.json" cannot be written: no folder/,
    );
    expect(performance.now() - t0).toBeLessThan(5000); // no training happened
  });

  it("a malformed JSON file gives one line even when the parser's message has two", async () => {
    const csv = join(dir, "not.json");
    writeFileSync(csv, "a,b,label\n1,2,3\n");
    await expectOneLineError(
      ["diffusion", "sample", "--model", csv],
      /is not valid JSON/,
    );
  });
});

describe("federated join", () => {
  it("reports an unreachable coordinator as a user error", async () => {
    const data = join(dir, "part.csv");
    writeFileSync(data, "x1,x2,y\n1,2,0\n2,1,1\n");
    // port 1 on the loopback address: nothing of ours listens there, so the
    // connection is refused at once
    await expectOneLineError(
      [
        "federated",
        "join",
        "--server",
        "ws://127.0.0.1:1",
        "--data",
        data,
        "--label",
        "y",
      ],
      /^error: cannot reach the coordinator at ws:\/\/127\.0\.0\.1:1\/: connect ECONNREFUSED/,
    );
  });
});
