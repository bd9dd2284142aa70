/**
 * Browser tests: headless Chromium (Debian's `chromium`, never a
 * downloaded one) driven by playwright-core, loading pages from a
 * loopback static server rooted at the repository.
 *
 * Where no Chromium is installed the browser suites are skipped with a
 * warning, except when WASMLEARN_REQUIRE_BROWSER=1 (set by `.ci/run`,
 * which installs it): then they fail, so CI can never pass without them.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import {
  serveStatic,
  type RequestHook,
  type StaticServer,
} from "../../src/server/static.js";

/** The repository root, which the test server serves as `/`. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Screenshots and other artifacts of browser tests (git-ignored). */
export const ARTIFACTS = fileURLToPath(
  new URL("../../test-artifacts/", import.meta.url),
);

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
].filter((p): p is string => Boolean(p));

/** The Chromium executable, or null when none is installed. */
export const CHROMIUM = CANDIDATES.find((p) => existsSync(p)) ?? null;

const REQUIRED = process.env.WASMLEARN_REQUIRE_BROWSER === "1";

/**
 * `describe` for suites that need Chromium: skipped (with a warning) when
 * it is missing, unless WASMLEARN_REQUIRE_BROWSER=1.
 */
export function describeBrowser(name: string, body: () => void): void {
  describe.skipIf(!CHROMIUM && !REQUIRED)(name, body);
}

if (!CHROMIUM) {
  const what = REQUIRED ? "failing" : "skipping";
  console.warn(
    `browser tests: no Chromium found (tried ${CANDIDATES.join(", ")}); ` +
      `${what} them. Install it with: apt-get install -y chromium`,
  );
}

/**
 * Flags for a root user on a machine without network: no sandbox (root),
 * no GPU, and none of Chromium's background connections.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium (playwright gives it a fresh profile). */
export async function launchChromium(
  extraArgs: string[] = [],
): Promise<Browser> {
  if (!CHROMIUM) {
    throw new Error(
      "Chromium is required (WASMLEARN_REQUIRE_BROWSER=1) but not installed: apt-get install -y chromium",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** Serves the repository on 127.0.0.1 (a free port). */
export function serveRepo(
  hook?: RequestHook,
  headers?: Record<string, string>,
): Promise<StaticServer> {
  return serveStatic({ root: REPO_ROOT, hook, headers });
}

/** A page that records console errors and uncaught exceptions. */
export interface WatchedPage {
  page: Page;
  /** Console messages of type "error", and uncaught page errors. */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
): Promise<WatchedPage> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(url);
  return { page, errors };
}

/** The artifacts directory, created on demand. */
export function artifactsDir(): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}
