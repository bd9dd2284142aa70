import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { LogisticRegression } from "../../src/index.js";
import type { StaticServer } from "../../src/server/static.js";
import {
  describeBrowser,
  launchChromium,
  openPage,
  serveRepo,
} from "./harness.js";

describeBrowser("the browser entry in headless Chromium", () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveRepo();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads without a bundler and fits exactly as Node does", async () => {
    const { page, errors } = await openPage(
      browser,
      server.url + "test/browser/pages/smoke.html",
    );
    await page.waitForFunction(() => (window as any).wasmlearnLoaded === true);
    const inBrowser = await page.evaluate(() => (window as any).run());
    const X = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
    ];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const inNode = Array.from(
      new LogisticRegression().fit(X, y).predictProba([[1.5, 1.5]]).data,
    );
    expect(inBrowser).toEqual(inNode);
    expect(errors).toEqual([]);
  });
});
