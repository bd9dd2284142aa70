/**
 * The package through a bundler: Vite builds a page that imports
 * "wasmlearn" (the browser export condition), emits both Wasm builds and
 * the forest's Web Worker, and the built page fits exactly as Node does.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { build } from "vite";
import {
  LogisticRegression,
  RandomForestClassifier,
  makeClassification,
} from "../../src/index.js";
import { serveStatic, type StaticServer } from "../../src/server/static.js";
import {
  describeBrowser,
  launchChromium,
  openPage,
  REPO_ROOT,
} from "./harness.js";

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>vite</title></head>
  <body><script type="module" src="./main.js"></script></body>
</html>
`;

// The app: nothing but the package's public API, as a user would write it.
const MAIN = `
import {
  capabilities,
  LogisticRegression,
  makeClassification,
  RandomForestClassifier,
  ready,
} from "wasmlearn";

window.run = async () => {
  await ready();
  const { X, y } = makeClassification({ nSamples: 120, nFeatures: 6, randomState: 3 });
  const rows = Array.from({ length: X.rows }, (_, i) =>
    Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)),
  );
  const logistic = new LogisticRegression().fit(rows, y);
  const forest = await new RandomForestClassifier({
    nEstimators: 12,
    randomState: 5,
    nJobs: 2,
  }).fitAsync(rows, y);
  return {
    logistic: Array.from(logistic.predictProba(rows).data),
    forest: Array.from(forest.predictProba(rows).data),
    build: capabilities().build,
  };
};
`;

describeBrowser("the package bundled by Vite", () => {
  let browser: Browser;
  let server: StaticServer;
  let assets: string[];
  beforeAll(async () => {
    const app = mkdtempSync(join(tmpdir(), "wasmlearn-vite-"));
    mkdirSync(join(app, "node_modules"));
    symlinkSync(REPO_ROOT, join(app, "node_modules", "wasmlearn"));
    writeFileSync(join(app, "index.html"), PAGE);
    writeFileSync(join(app, "main.js"), MAIN);
    const outDir = join(app, "dist");
    await build({
      root: app,
      logLevel: "silent",
      configFile: false,
      build: { outDir, emptyOutDir: true },
    });
    assets = readdirSync(join(outDir, "assets"));
    server = await serveStatic({ root: outDir });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("emits both Wasm builds and the forest worker", () => {
    expect(assets.some((a) => /^release-[\w-]+\.wasm$/.test(a))).toBe(true);
    expect(assets.some((a) => /^release-scalar-[\w-]+\.wasm$/.test(a))).toBe(
      true,
    );
    expect(assets.some((a) => /^forest-web-worker-[\w-]+\.js$/.test(a))).toBe(
      true,
    );
  });

  it("fits and predicts in the built page exactly as Node does, forests in Web Workers", async () => {
    const { page, errors } = await openPage(browser, server.url);
    await page.waitForFunction(() => typeof (window as any).run === "function");
    const inPage = await page.evaluate(() => (window as any).run());

    const { X, y } = makeClassification({
      nSamples: 120,
      nFeatures: 6,
      randomState: 3,
    });
    const logistic = new LogisticRegression().fit(X, y);
    const forest = new RandomForestClassifier({
      nEstimators: 12,
      randomState: 5,
    }).fit(X, y);
    expect(inPage.logistic).toEqual(Array.from(logistic.predictProba(X).data));
    expect(inPage.forest).toEqual(Array.from(forest.predictProba(X).data));
    expect(inPage.build).toBe("simd");
    expect(errors).toEqual([]);
  });
});
