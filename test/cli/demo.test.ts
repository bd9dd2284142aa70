import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { hostOption, isLoopback } from "../../src/cli/demo.js";
import { runCli } from "./helpers.js";

const BIN = fileURLToPath(new URL("../../bin/wasmlearn.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs `wasmlearn demo ...args` as a child process. */
function demo(args: string[]) {
  const child = spawn(process.execPath, [BIN, "demo", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (b) => (stdout += b));
  child.stderr!.on("data", (b) => (stderr += b));
  const exited = new Promise<number | null>((done) =>
    child.on("exit", (code) => done(code)),
  );
  const firstLine = new Promise<string>((done, fail) => {
    child.stdout!.on("data", () => {
      if (stdout.includes("\n")) done(stdout.split("\n")[0]);
    });
    child.on("exit", () =>
      fail(new Error(`demo exited before printing: ${stderr}`)),
    );
  });
  return {
    child,
    exited,
    firstLine,
    streams: () => ({ stdout, stderr }),
  };
}

let children: ChildProcess[] = [];
let blockers: Server[] = [];
afterEach(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  for (const s of blockers) await new Promise((done) => s.close(done));
  children = [];
  blockers = [];
});

describe("wasmlearn demo", () => {
  it("when run with --json then prints {url, port, root} and serves the page until SIGTERM", async () => {
    const run = demo(["--port", "0", "--json"]);
    children.push(run.child);
    const info = JSON.parse(await run.firstLine);
    expect(Object.keys(info).sort()).toEqual(["port", "root", "url"]);
    expect(info.url).toBe(`http://127.0.0.1:${info.port}/examples/browser/`);
    expect(info.port).toBeGreaterThan(0);
    expect(info.root).toBe(ROOT);

    const page = await fetch(info.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const wasm = await fetch(new URL("/build/release.wasm", info.url));
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    const entry = await fetch(new URL("/dist/browser.js", info.url));
    expect(entry.status).toBe(200);

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.streams().stderr).toBe("");
  });

  it("when run without --json then prints the page URL alone on stdout", async () => {
    const run = demo([]);
    children.push(run.child);
    const line = await run.firstLine;
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/examples\/browser\/$/);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(run.streams().stdout).toBe(line + "\n");
    expect(run.streams().stderr).toMatch(/Ctrl\+C/);
  });

  it("when the port is in use then exits 1 with one clear line", async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const { port } = blocker.address() as AddressInfo;
    const { code, stdout, stderr } = await runCli([
      "demo",
      "--port",
      String(port),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `error: port ${port} on 127.0.0.1 is already in use: choose another with --port (0 picks a free one)\n`,
    );
  });

  it("rejects a port out of range", async () => {
    const { code, stderr } = await runCli(["demo", "--port", "70000"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--port.*must be an integer from 0 to 65535/);
  });

  it("rejects hosts that Node would take as every interface", async () => {
    for (const host of ["", "0", "a b", "-", "1.2.3"]) {
      const { code, stdout, stderr } = await runCli(["demo", "--host", host]);
      expect(code, host).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/--host.*must be an IP address or a host name/);
    }
    expect(hostOption("[::1]")).toBe("::1");
    expect(hostOption("0.0.0.0")).toBe("0.0.0.0");
    expect(hostOption("localhost")).toBe("localhost");
  });
});

describe("isLoopback", () => {
  it("accepts the loopback interface's names and nothing else", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.2", "example.org"])
      expect(isLoopback(host), host).toBe(false);
  });
});
