import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { destroyTrialPool } from "../../src/automl/workers.js";
import { runCli } from "./helpers.js";

afterAll(() => destroyTrialPool());

const dir = mkdtempSync(join(tmpdir(), "wasmlearn-automl-"));
const bin = fileURLToPath(new URL("../../bin/wasmlearn.js", import.meta.url));

/** A space file with the given text. */
function spaceFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("wasmlearn automl", () => {
  it("reproduces the course's grid by default: table, best, test accuracies, chart", async () => {
    const { code, stdout, stderr } = await runCli(["automl"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(
      /grid search of a random forest on makeClassification\(seed 42\)/,
    );
    expect(stdout).toMatch(/train 600 \/ validation 200 \/ test 200/);
    expect(stdout).toMatch(
      /rank\s+trial\s+nEstimators\s+maxDepth\s+minSamplesSplit\s+score/,
    );
    expect(stdout).toMatch(/≈ within noise of the best: \d+ of 36 trials/);
    expect(stdout).toMatch(
      /best: nEstimators \d+, maxDepth \S+, minSamplesSplit \d+ \(trial \d+\)/,
    );
    expect(stdout).toMatch(/validation 0\.\d{4}, test 0\.\d{4}/);
    expect(stdout).toMatch(/default forest: test 0\.\d{4}/);
    expect(stdout).toMatch(
      /36 trials: 36 evaluated now, 0 from the journal; 36 fits\n[\d.]+ s in all, the search [\d.]+ s with 1 job/,
    );
    expect(stdout).toMatch(/validation accuracy per trial/);
  });

  it("prints the same table and chart for a seed (times masked)", async () => {
    const { stdout } = await runCli([
      "automl",
      "--search",
      "random",
      "--trials",
      "8",
      "--seed",
      "3",
    ]);
    const masked = stdout
      .replace(/ \d+\.\d\d$/gm, " x.xx")
      .replace(
        /[\d.]+ s in all, the search [\d.]+ s/,
        "x s in all, the search x s",
      );
    expect(masked).toMatchSnapshot();
  });

  it("prints only JSON on stdout with --json, with the documented keys", async () => {
    const { code, stdout } = await runCli([
      "automl",
      "--search",
      "tpe",
      "--trials",
      "6",
      "--cv",
      "3",
      "--json",
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.search).toBe("tpe");
    expect(r.trials).toHaveLength(6);
    for (const t of r.trials) {
      expect(Object.keys(t)).toEqual(
        expect.arrayContaining([
          "params",
          "score",
          "scoreStd",
          "fitSeconds",
          "status",
        ]),
      );
      expect(t.scores).toHaveLength(3);
    }
    expect(Object.keys(r.best)).toEqual(
      expect.arrayContaining(["params", "validationScore", "testAccuracy"]),
    );
    expect(typeof r.default.testAccuracy).toBe("number");
    expect(typeof r.seconds).toBe("number");
  });

  it("gives the same trials with --jobs 1 and --jobs 2", async () => {
    const args = ["automl", "--search", "halving", "--cv", "3", "--json"];
    const one = JSON.parse((await runCli([...args, "--jobs", "1"])).stdout);
    const two = JSON.parse((await runCli([...args, "--jobs", "2"])).stdout);
    const strip = (r: { trials: { fitSeconds: number }[] }) =>
      r.trials.map(({ fitSeconds: _f, ...t }) => t);
    expect(strip(two)).toEqual(strip(one));
    expect(two.best).toEqual(one.best);
  });

  it.each([
    [
      ["--search", "bayes"],
      /option '--search <kind>' argument 'bayes' is invalid. must be one of grid, random, tpe, halving, got "bayes"/,
    ],
    [
      ["--search", "random", "--trials", "0"],
      /--trials <n>' argument '0' is invalid. must be an integer from 1 to 100000/,
    ],
    [
      ["--cv", "1"],
      /'--cv <k>' argument '1' is invalid. must be an integer from 2 to 100, got "1"/,
    ],
    [["--trials", "5"], /--trials does not apply to --search grid/],
    [["--factor", "2"], /--factor applies to --search halving only/],
    [["--keep-ties"], /--keep-ties applies to --search halving only/],
    [
      ["--search", "halving", "--trials", "9"],
      /--trials does not apply to --search halving over a space without float ranges/,
    ],
    [
      ["--search", "halving", "--resource", "trees", "--model", "logistic"],
      /halving.resource must be "samples" for logistic, got "trees"/,
    ],
    [["--label", "y"], /--label goes with --data/],
    [["--space", "{bad"], /--space .*bad\.json must be JSON: /],
    [
      ["--space", "{unknown}"],
      /space parameter "depth" must be one of forest's/,
    ],
    [
      ["--space", "{empty}"],
      /space.maxDepth must list at least one value, got an empty list/,
    ],
    [
      ["--space", "{range}"],
      /space.minSamplesSplit must have low <= high, got low 9 and high 3/,
    ],
    [
      ["--space", "{float-grid}"],
      /space.maxFeatures must be a list of values or an integer range for a grid, got a float range/,
    ],
    [
      ["--space", "{logistic}", "--model", "logistic"],
      /space.C must hold valid values: C must be a finite number > 0, got -1/,
    ],
  ])("fails with one line and exit 1 for %j", async (args, message) => {
    const files: Record<string, string> = {
      "{bad": spaceFile("bad.json", '{"maxDepth": [3, 5'),
      "{unknown}": spaceFile("unknown.json", '{"depth": [3, 5]}'),
      "{empty}": spaceFile("empty.json", '{"maxDepth": []}'),
      "{range}": spaceFile(
        "range.json",
        '{"minSamplesSplit": {"type": "int", "low": 9, "high": 3}}',
      ),
      "{float-grid}": spaceFile(
        "float.json",
        '{"maxFeatures": {"type": "float", "low": 0.2, "high": 0.8}}',
      ),
      "{logistic}": spaceFile("logistic.json", '{"C": [-1, 1]}'),
    };
    const journal = join(
      dir,
      `never-${Math.random().toString(36).slice(2)}.jsonl`,
    );
    const argv = [
      "automl",
      ...args.map((a) => files[a] ?? a),
      "--journal",
      journal,
    ];
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(journal)).toBe(false);
  });

  it("tunes on the user's CSV data", async () => {
    const { code, stdout } = await runCli([
      "automl",
      "--data",
      "data/wdbc.csv.gz",
      "--label",
      "Class",
      "--search",
      "random",
      "--trials",
      "4",
      "--json",
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.data.nSamples).toBe(569);
    expect(r.best.testAccuracy).toBeGreaterThan(0.9);
  });

  it("extends a journaled TPE search to more trials without refitting the first", async () => {
    const journal = join(dir, "extend.jsonl");
    const base = ["automl", "--search", "tpe", "--json"];
    const first = await runCli([
      ...base,
      "--trials",
      "6",
      "--journal",
      journal,
    ]);
    expect(JSON.parse(first.stdout).evaluated).toBe(6);
    const more = JSON.parse(
      (await runCli([...base, "--trials", "10", "--journal", journal])).stdout,
    );
    expect(more).toMatchObject({ resumed: 6, evaluated: 4 });
    const whole = JSON.parse(
      (await runCli([...base, "--trials", "10"])).stdout,
    );
    expect(more.trials.map((t: { params: unknown }) => t.params)).toEqual(
      whole.trials.map((t: { params: unknown }) => t.params),
    );
    expect(more.best).toEqual(whole.best);
  });

  it("refuses to resume a journal of another search", async () => {
    const journal = join(dir, "other.jsonl");
    expect(
      (
        await runCli([
          "automl",
          "--search",
          "random",
          "--trials",
          "2",
          "--journal",
          journal,
        ])
      ).code,
    ).toBe(0);
    const { code, stderr } = await runCli([
      "automl",
      "--search",
      "random",
      "--trials",
      "2",
      "--seed",
      "1",
      "--journal",
      journal,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error: journal .* must come from the same search to resume it; it differs in fingerprint, seed/,
    );
  });

  it("says so when --trials asks for more than the space has", async () => {
    const space = spaceFile(
      "small.json",
      '{"maxDepth": [2, 3], "nEstimators": [5]}',
    );
    const { code, stdout, stderr } = await runCli([
      "automl",
      "--search",
      "random",
      "--trials",
      "5",
      "--space",
      space,
      "--json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).trials).toHaveLength(2);
    expect(stderr).toBe(
      "note: --trials 5 asked for more trials than the space has points; all 2 ran\n",
    );
  });

  it("refuses a FIFO, a directory and a missing directory as the journal, without waiting", async () => {
    const fifo = join(dir, "journal.fifo");
    execFileSync("mkfifo", [fifo]);
    for (const [path, message] of [
      [fifo, /^error: journal must be a regular file, got .*journal\.fifo\n$/],
      [dir, /^error: journal must be a regular file, got /],
      [
        join(dir, "no-such-dir", "j.jsonl"),
        /^error: journal .*j\.jsonl must be in an existing directory, got .*no-such-dir\n$/,
      ],
    ] as const) {
      const { code, stdout, stderr } = await runCli([
        "automl",
        "--search",
        "random",
        "--trials",
        "2",
        "--journal",
        path,
      ]);
      expect(code, path).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(message);
    }
  });
});

describe("wasmlearn automl compare", () => {
  it("reports, per seed, the grid's best and the fits TPE, random and halving needed", async () => {
    const { code, stdout } = await runCli([
      "automl",
      "compare",
      "--seeds",
      "1",
      "--cv",
      "2",
      "--budget",
      "4",
      "--factor",
      "2",
      "--json",
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({
      cv: 2,
      budget: 4,
      factor: 2,
      keepTies: false,
      gridSize: 36,
    });
    const s = r.seeds[0];
    expect(s.grid.fits).toBe(36);
    expect(s.tpe.fits).toBe(4);
    expect(s.random.fits).toBe(4);
    expect(s.halving.rungs[s.halving.rungs.length - 1].rows).toBe(400);
    expect(s.halving.cost).toBeLessThan(s.halving.evaluations);
    for (const k of [
      "tpeReached",
      "randomReached",
      "halvingReached",
      "halvingMeanCost",
    ]) {
      expect(typeof r.summary[k]).toBe("number");
    }
  });
});

describe("wasmlearn automl --journal, killed midway", () => {
  /** Spawns the CLI; resolves with its output once it exits. */
  function spawnCli(args: string[], onStart?: (kill: () => void) => void) {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    onStart?.(() => child.kill("SIGKILL"));
    return new Promise<{ code: number | null; stdout: string }>((resolve) =>
      child.on("exit", (code) => resolve({ code, stdout })),
    );
  }

  const trialLines = (path: string) =>
    existsSync(path)
      ? readFileSync(path, "utf8")
          .split("\n")
          .filter((l) => l.includes('"type":"trial"')).length
      : 0;

  it("finishes only the remaining trials, with the uninterrupted result", async () => {
    const args = [
      "automl",
      "--search",
      "tpe",
      "--trials",
      "24",
      "--cv",
      "3",
      "--json",
    ];
    const journal = join(dir, "killed.jsonl");
    let journaledAtKill = 0;
    const killed = await spawnCli([...args, "--journal", journal], (kill) => {
      const poll = setInterval(() => {
        const n = trialLines(journal);
        if (n >= 5) {
          clearInterval(poll);
          kill();
          journaledAtKill = n;
        }
      }, 5);
    });
    expect(killed.code).toBeNull(); // killed, not finished
    const before = trialLines(journal);
    expect(before).toBeGreaterThanOrEqual(journaledAtKill);
    expect(before).toBeLessThan(24);

    const resumed = await spawnCli([...args, "--journal", journal]);
    expect(resumed.code).toBe(0);
    const r = JSON.parse(resumed.stdout);
    expect(r.resumed).toBe(before);
    expect(r.evaluated).toBe(24 - before);
    expect(trialLines(journal)).toBe(24);

    const whole = JSON.parse((await spawnCli(args)).stdout);
    const strip = (x: { trials: { fitSeconds: number }[] }) =>
      x.trials.map(({ fitSeconds: _f, ...t }) => t);
    expect(strip(r)).toEqual(strip(whole));
    expect(r.best).toEqual(whole.best);
    expect(r.default).toEqual(whole.default);
  });
});
