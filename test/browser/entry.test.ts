/**
 * Cheap guards that keep the browser entry loadable without a bundler:
 * the package's browser condition resolves to dist/browser.js, and the
 * static import graph from there holds only relative specifiers (no
 * `node:` built-ins, no bare package names a browser cannot resolve).
 * Needs no browser; runs on the compiled dist/ (`npm test` builds it).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** How Node resolves `wasmlearn` from the package itself. */
function resolveWith(conditions: string[]): string {
  const script = 'console.log(import.meta.resolve("wasmlearn"))';
  return execFileSync(
    process.execPath,
    [
      ...conditions.map((c) => `--conditions=${c}`),
      "--input-type=module",
      "-e",
      script,
    ],
    { cwd: ROOT, encoding: "utf8" },
  ).trim();
}

/** Specifiers of static imports and re-exports (not dynamic import()). */
function staticSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
  ];
  for (const re of patterns) {
    for (const m of source.matchAll(re)) found.push(m[1]);
  }
  return found;
}

describe("the browser entry", () => {
  it("is what the browser condition resolves to", () => {
    const dist = pathToFileURL(ROOT + "dist/").href;
    expect(resolveWith(["browser"])).toBe(dist + "browser.js");
    expect(resolveWith([])).toBe(dist + "index.js");
  });

  it("imports nothing but relative modules, statically", () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const queue = [new URL("../../dist/browser.js", import.meta.url)];
    while (queue.length > 0) {
      const url = queue.pop() as URL;
      if (seen.has(url.href)) continue;
      seen.add(url.href);
      for (const spec of staticSpecifiers(readFileSync(url, "utf8"))) {
        if (spec.startsWith("./") || spec.startsWith("../")) {
          queue.push(new URL(spec, url));
        } else {
          bad.push(`${url.pathname.slice(ROOT.length)} imports ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
    const files = [...seen].map((href) => href.slice(href.indexOf("/dist/")));
    expect(files).toContain("/dist/wasm/load.js");
    expect(files).toContain("/dist/models/forest.js");
    expect(files.length).toBeGreaterThan(20);
  });

  it("names both .wasm files literally beside import.meta.url for bundlers", () => {
    const load = readFileSync(
      new URL("../../dist/wasm/load.js", import.meta.url),
      "utf8",
    );
    for (const file of ["release.wasm", "release-scalar.wasm"]) {
      expect(load).toContain(`new URL("../../build/${file}", import.meta.url)`);
    }
  });
});
