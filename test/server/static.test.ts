import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FILES } from "../../src/server/demo.js";
import { serveStatic, type StaticServer } from "../../src/server/static.js";

// A root with a page, a secret outside it and links that point out.
const outside = mkdtempSync(join(tmpdir(), "wasmlearn-outside-"));
writeFileSync(join(outside, "secret.txt"), "not for the web\n");
const root = mkdtempSync(join(tmpdir(), "wasmlearn-root-"));
mkdirSync(join(root, "examples/browser"), { recursive: true });
mkdirSync(join(root, "dist"));
mkdirSync(join(root, ".git"));
mkdirSync(join(root, "src"));
writeFileSync(join(root, "examples/browser/index.html"), "<p>page</p>\n");
writeFileSync(join(root, "dist/browser.js"), "export {};\n");
writeFileSync(join(root, ".git/config"), "[remote]\n");
writeFileSync(join(root, "src/index.ts"), "export {};\n");
symlinkSync(join(root, "src/index.ts"), join(root, "dist/source.js"));
symlinkSync(outside, join(root, "examples/browser/out"));
symlinkSync(join(outside, "secret.txt"), join(root, "dist/secret.js"));
symlinkSync(
  join(root, "examples/browser/index.html"),
  join(root, "dist/page.html"),
);

async function get(server: StaticServer, path: string) {
  const res = await fetch(server.url + path.replace(/^\//, ""));
  return { status: res.status, text: await res.text() };
}

describe("the static server", () => {
  let open: StaticServer;
  let demo: StaticServer;
  beforeAll(async () => {
    open = await serveStatic({ root });
    demo = await serveStatic({ root, allow: DEMO_FILES });
  });
  afterAll(async () => {
    await open?.close();
    await demo?.close();
  });

  it("never follows a symbolic link out of its root", async () => {
    for (const server of [open, demo]) {
      expect(
        (await get(server, "/examples/browser/out/secret.txt")).status,
      ).toBe(404);
      expect((await get(server, "/dist/secret.js")).status).toBe(404);
      expect((await get(server, "/examples/browser/")).text).toBe(
        "<p>page</p>\n",
      );
    }
    // a link that stays inside the root is judged by its target
    expect((await get(open, "/dist/page.html")).status).toBe(200);
    expect((await get(demo, "/dist/page.html")).status).toBe(200);
  });

  it("keeps traversal and odd paths in the root, as 403 or 404, never 500", async () => {
    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/examples/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/bad%zz",
      "/a%00b",
      "/dist/browser.js/x",
      "/" + "x".repeat(5000),
    ]) {
      const { status } = await get(open, path);
      expect([403, 404], path).toContain(status);
    }
  });

  it("serves only the allowlist when it has one", async () => {
    expect((await get(demo, "/dist/browser.js")).status).toBe(200);
    expect((await get(demo, "/.git/config")).status).toBe(404);
    expect((await get(demo, "/src/index.ts")).status).toBe(404);
    // nor a link from an allowed folder to one that is not
    expect((await get(demo, "/dist/source.js")).status).toBe(404);
    expect((await get(open, "/dist/source.js")).status).toBe(200);
    expect((await get(open, "/.git/config")).status).toBe(200);
  });

  it("answers GET and HEAD only", async () => {
    const res = await fetch(open.url + "dist/browser.js", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});
