/**
 * The browser demo, end to end: `wasmlearn demo` started as a user starts
 * it, the page opened in headless Chromium, each experiment run from its
 * form; the fusion table read from the DOM must equal `wasmlearn fusion
 * --json` for the same seed. A full-page screenshot is kept in
 * test-artifacts/demo.png.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  artifactsDir,
  describeBrowser,
  launchChromium,
  openPage,
} from "./harness.js";

const BIN = fileURLToPath(new URL("../../bin/wasmlearn.js", import.meta.url));
const run = promisify(execFile);

/** `wasmlearn fusion --json` rows as the page shows them. */
async function cliFusion(args: string[]) {
  const { stdout } = await run(process.execPath, [
    BIN,
    "fusion",
    "--json",
    ...args,
  ]);
  const json = JSON.parse(stdout);
  return {
    dataset: json.dataset,
    seed: json.seed,
    rows: json.results.map(
      (r: { method: string; model: string; accuracy: number }) => ({
        method: r.method,
        model: r.model,
        accuracy: String(r.accuracy),
        shown: r.accuracy.toFixed(4),
      }),
    ),
  };
}

/** The fusion table as shown: one entry per row. */
async function pageFusion(page: Page) {
  return page.$$eval("#fusion-table tbody tr", (trs) =>
    trs.map((tr) => {
      const row = tr as HTMLTableRowElement;
      return {
        method: row.dataset.method,
        model: row.dataset.model,
        accuracy: row.dataset.accuracy,
        shown: row.querySelector("td.accuracy")!.textContent!.replace(" *", ""),
      };
    }),
  );
}

/** Starts `wasmlearn demo --port 0 --json`; resolves with the page URL. */
function startDemo(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, "demo", "--port", "0", "--json"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stderr!.on("data", (b) => (err += b));
  return new Promise((done, fail) => {
    child.stdout!.on("data", (b) => {
      out += b;
      if (out.includes("\n")) done({ child, url: JSON.parse(out).url });
    });
    child.on("exit", (code) =>
      fail(new Error(`wasmlearn demo exited with ${code}: ${err}`)),
    );
  });
}

async function submit(page: Page, section: string) {
  await page.click(`#${section}-run`);
  await page.waitForSelector(
    `#${section}-status[data-state="done"], #${section}-status[data-state="error"]`,
    { timeout: 90_000 },
  );
  const status = await page.textContent(`#${section}-status`);
  expect(
    await page.getAttribute(`#${section}-status`, "data-state"),
    status!,
  ).toBe("done");
}

describeBrowser("the browser demo (wasmlearn demo)", () => {
  let browser: Browser;
  let demo: { child: ChildProcess; url: string };
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, demo.url));
    await page.waitForFunction(() => (window as any).demo !== undefined);
    await page.evaluate(() => (window as any).demo.ready);
  });
  afterAll(async () => {
    await browser?.close();
    if (demo?.child.exitCode === null) {
      const exited = new Promise((done) => demo.child.on("exit", done));
      demo.child.kill("SIGTERM");
      await exited;
    }
  });

  it("shows what the browser offers", async () => {
    const keys = await page.$$eval("#capabilities tr", (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.key),
    );
    expect(keys).toContain("Wasm core");
    expect(keys).toContain("module Web Workers");
  });

  it("the synthetic fusion table equals wasmlearn fusion --json for seed 7", async () => {
    await page.selectOption("#fusion-dataset", "synthetic");
    await page.selectOption("#fusion-model", "both");
    await page.fill("#fusion-seed", "7");
    await submit(page, "fusion");
    const cli = await cliFusion(["--seed", "7", "--model", "both"]);
    expect(cli.rows).toHaveLength(12);
    expect(await pageFusion(page)).toEqual(cli.rows);
    expect(await page.textContent("#fusion-summary")).toMatch(
      /^synthetic: 3 modalities .* seed 7\)/,
    );
    expect(await page.$$("#fusion-chart svg rect")).not.toHaveLength(0);
    // the forests grew in Web Workers while the page went on drawing
    const frames = await page.evaluate(
      () => (window as any).demo.heartbeat.frames,
    );
    expect(frames).toBeGreaterThan(0);
  }, 120_000);

  // Logistic regression only, to bound the time on a loaded machine: the
  // forests (in Web Workers) are checked on the synthetic data above.
  it("the mfeat fusion table equals wasmlearn fusion --dataset mfeat --json for seed 3", async () => {
    await page.selectOption("#fusion-dataset", "mfeat");
    await page.selectOption("#fusion-model", "logistic");
    await page.fill("#fusion-seed", "3");
    await submit(page, "fusion");
    const cli = await cliFusion(["--dataset", "mfeat", "--seed", "3"]);
    expect(cli.dataset).toBe("mfeat");
    expect(cli.rows).toHaveLength(6);
    expect(await pageFusion(page)).toEqual(cli.rows);
  }, 120_000);

  it("trains a noise predictor in a Web Worker and draws samples", async () => {
    await page.fill("#diffusion-signals", "256");
    await page.fill("#diffusion-epochs", "4");
    await page.fill("#diffusion-hidden", "32");
    await submit(page, "diffusion");
    // the loss curve, a training signal and 4 samples
    expect(await page.$$("#diffusion-charts svg")).toHaveLength(6);
    expect(await page.textContent("#diffusion-status")).toMatch(
      /in a Web Worker; sine residual of 4 samples \d\.\d{3} against \d\.\d{3} for pure noise/,
    );
  });

  it("benchmarks Wasm against TS", async () => {
    await page.fill("#bench-repeats", "1");
    await submit(page, "bench");
    const rows = await page.$$eval("#bench-table tbody tr", (trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll("td")].map((td) => td.textContent),
      ),
    );
    expect(rows.map((r) => r[0])).toEqual([
      "matmul",
      "matmul",
      "matmul",
      "logistic-fit",
      "forest-fit",
    ]);
    for (const r of rows) expect(r[4]).toMatch(/^\d+\.\d\dx$/);
  });

  it("ran without console errors; screenshot in test-artifacts/demo.png", async () => {
    const path = join(artifactsDir(), "demo.png");
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(1000);
    const signature = readFileSync(path).subarray(0, 8);
    expect([...signature]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(errors).toEqual([]);
  });
});
