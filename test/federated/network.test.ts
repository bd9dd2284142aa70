import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { joinFederation } from "../../src/federated/client.js";
import {
  courseClientData,
  type ClientDataSpec,
} from "../../src/federated/data.js";
import { LocalClient } from "../../src/federated/local.js";
import { FederatedServer } from "../../src/federated/server.js";
import { simulate } from "../../src/federated/simulate.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wasmlearn-fed-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill();
});

/** The course's client k as a CSV file with label column y. */
function clientCsv(k: number): string {
  const { X, y } = courseClientData(k, 42);
  const head = [...Array.from({ length: X.cols }, (_, j) => `x${j}`), "y"].join(
    ",",
  );
  const rows = y.map((label, i) =>
    [...X.data.subarray(i * X.cols, (i + 1) * X.cols), label].join(","),
  );
  const path = join(dir, `client${k}.csv`);
  writeFileSync(path, `${head}\n${rows.join("\n")}\n`);
  return path;
}

function cli(args: string[]) {
  const child = spawn(process.execPath, ["bin/wasmlearn.js", ...args], {
    cwd: root,
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exit = new Promise<number>((resolve) =>
    child.on("close", (code) => resolve(code ?? -1)),
  );
  return { child, exit, out: () => stdout, err: () => stderr };
}

/** Resolves with the first match of `pattern` in a child's stderr (10 s at most). */
function waitForStderr(
  child: ReturnType<typeof cli>,
  pattern: RegExp,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} in: ${child.err()}`)),
      10_000,
    );
    const look = () => {
      const m = pattern.exec(child.err());
      if (!m) return;
      clearTimeout(timer);
      child.child.stderr!.off("data", look);
      resolve(m);
    };
    child.child.stderr!.on("data", look);
    look();
  });
}

/** The ws:// URL a `federated serve` child listens on. */
async function serveUrl(server: ReturnType<typeof cli>): Promise<string> {
  return (
    await waitForStderr(server, /listening on (ws:\/\/127\.0\.0\.1:\d+)/)
  )[1];
}

/** A `federated join` child for the given CSV file with label column y. */
function joinCli(url: string, file: string, ...more: string[]) {
  return cli([
    "federated",
    "join",
    "--server",
    url,
    "--data",
    file,
    "--label",
    "y",
    ...more,
  ]);
}

describe("federated serve and join over loopback", () => {
  it("a server and three client processes give the simulation's model", async () => {
    const files = [0, 1, 2].map(clientCsv);
    const server = cli([
      "federated",
      "serve",
      "--port",
      "0",
      "--clients",
      "3",
      "--rounds",
      "5",
      "--join-timeout",
      "20",
      "--json",
    ]);
    const url = await serveUrl(server);
    const clients = files.map((f) => joinCli(url, f, "--timeout", "20"));
    const codes = await Promise.all([
      server.exit,
      ...clients.map((c) => c.exit),
    ]);
    expect(codes, server.err()).toEqual([0, 0, 0, 0]);
    const net = JSON.parse(server.out());

    const specs: ClientDataSpec[] = files.map((path) => ({
      kind: "csv",
      path,
      label: "y",
    }));
    const sim = await simulate(specs, { rounds: 5, scale: true });
    const w = [...net.params.coef.values, ...net.params.intercept.values];
    const ref = [...sim.params!.coef.values, ...sim.params!.intercept.values];
    expect(
      Math.max(...w.map((v: number, k: number) => Math.abs(v - ref[k]))),
    ).toBeLessThan(1e-9);
    expect(net.rounds.map((r: { accuracy: number }) => r.accuracy)).toEqual(
      sim.rounds.map((r) => r.accuracy),
    );
  });

  it("survives a malformed message and a client leaving mid-round, and takes a late joiner", async () => {
    let late: Promise<unknown> | null = null;
    const server: FederatedServer = await FederatedServer.start({
      clients: 2,
      rounds: 100,
      minClients: 1,
      requestTimeoutMs: 5000,
      joinTimeoutMs: 10_000,
      // the late joiner connects once the first round is over
      onRound: (r) => {
        if (r.round === 1) {
          late = joinFederation({
            server: server.url,
            data: courseClientData(2, 42),
            timeoutMs: 15_000,
          });
        }
      },
    });
    try {
      const good = joinFederation({
        server: server.url,
        data: courseClientData(0, 42),
        timeoutMs: 15_000,
      });

      // a client that sends garbage, then joins and leaves at its first training request
      const quitter = new WebSocket(server.url);
      const replies: string[] = [];
      await new Promise<void>((resolve) => quitter.on("open", () => resolve()));
      quitter.on("message", (data) => {
        const msg = JSON.parse(String(data));
        replies.push(msg.type);
        if (msg.type === "train") quitter.terminate();
      });
      quitter.send("{not json");
      quitter.send(JSON.stringify({ type: "update", id: "x" }));
      quitter.send(
        JSON.stringify(new LocalClient(courseClientData(1, 42)).hello()),
      );

      const run = await server.done;
      await Promise.all([good, late]);
      expect(server.log.some((l) => /client-2 joined .*late/.test(l))).toBe(
        true,
      );

      expect(replies.slice(0, 2)).toEqual(["error", "error"]);
      expect(
        server.log.some((l) =>
          /rejected a malformed message .*must be JSON/.test(l),
        ),
      ).toBe(true);
      expect(server.log.some((l) => /client-1 disconnected/.test(l))).toBe(
        true,
      );
      expect(run.rounds[0].dropped).toEqual(["client-1"]);
      expect(run.rounds[0].clients).toEqual(["client-0"]);
      expect(run.rounds.at(-1)!.clients).toContain("client-2");
      expect(run.rounds.at(-1)!.accuracy).toBeGreaterThan(0.7);
    } finally {
      await server.close();
    }
  });

  it("turns away a client whose data does not match the others and carries on", async () => {
    const server = await FederatedServer.start({
      clients: 3,
      rounds: 3,
      minClients: 1,
      joinTimeoutMs: 10_000,
    });
    try {
      // the first to arrive claims 2 features where the others have 10
      const odd = new WebSocket(server.url);
      await new Promise<void>((resolve) => odd.on("open", () => resolve()));
      const hello = new LocalClient(courseClientData(1, 42)).hello();
      odd.send(
        JSON.stringify({
          ...hello,
          nFeatures: 2,
          stats: { sum: [0, 0], sumSq: [1, 1] },
        }),
      );
      // and a hello with a nonsense class list is refused outright
      odd.send(JSON.stringify({ ...hello, classes: [{}] }));
      const a = joinFederation({
        server: server.url,
        data: courseClientData(0, 42),
        timeoutMs: 15_000,
      });
      const b = joinFederation({
        server: server.url,
        data: courseClientData(2, 42),
        timeoutMs: 15_000,
      });
      const run = await server.done;
      await Promise.all([a, b]);
      expect(
        server.log.some((l) =>
          /turned client-0 away: 2 features, others have 10/.test(l),
        ),
      ).toBe(true);
      expect(run.rounds.at(-1)!.clients).toEqual(["client-1", "client-2"]);
      odd.terminate();
    } finally {
      await server.close();
    }
  });

  it("turns away a late joiner that does not fit the model, telling it why", async () => {
    let late: Promise<unknown> | null = null;
    const server: FederatedServer = await FederatedServer.start({
      clients: 2,
      // long enough that the late joiner arrives while training goes on
      rounds: 300,
      minClients: 1,
      joinTimeoutMs: 10_000,
      onRound: (r) => {
        if (r.round !== 1) return;
        const { X, y } = courseClientData(2, 42);
        // the same rows without their last feature: 9 features, not 10
        const d = X.cols - 1;
        const data = new Float64Array(X.rows * d);
        for (let i = 0; i < X.rows; i++)
          data.set(X.data.subarray(i * X.cols, i * X.cols + d), i * d);
        late = joinFederation({
          server: server.url,
          data: { X: { rows: X.rows, cols: d, data }, y },
          timeoutMs: 15_000,
        }).then(
          () => "joined",
          (err: Error) => err.message,
        );
      },
    });
    try {
      const clients = [0, 1].map((k) =>
        joinFederation({
          server: server.url,
          data: courseClientData(k, 42),
          timeoutMs: 15_000,
        }),
      );
      const run = await server.done;
      await Promise.all(clients);
      expect(await late).toMatch(
        /turned this client away: 9 features, the model has 10/,
      );
      const mentions = server.log.filter((l) => /client-2/.test(l));
      expect(mentions).toEqual([
        "turned client-2 away: 9 features, the model has 10",
      ]);
      expect(run.rounds).toHaveLength(300);
      for (const r of run.rounds)
        expect(r.clients).toEqual(["client-0", "client-1"]);
    } finally {
      await server.close();
    }
  });

  it("when too few clients are left, stops with the rounds done so far (serve exits 1)", async () => {
    const files = [0, 1].map(clientCsv);
    const server = cli([
      "federated",
      "serve",
      "--port",
      "0",
      "--clients",
      "2",
      "--min-clients",
      "2",
      "--rounds",
      "100000",
      "--json",
    ]);
    const url = await serveUrl(server);
    const stays = joinCli(url, files[0]);
    const leaves = joinCli(url, files[1]);
    // let a few rounds complete, then one client goes
    await waitForStderr(server, /round\s+5\//);
    leaves.child.kill("SIGKILL");
    expect(await server.exit).toBe(1);
    const out = JSON.parse(server.out());
    expect(out.rounds.length).toBeGreaterThanOrEqual(5);
    expect(out.stopped).toMatch(
      /fewer than minClients 2; stopped after \d+ complete round\(s\)/,
    );
    expect(out.stopped).toContain(`after ${out.rounds.length} complete`);
    expect(server.err()).toMatch(/^error: round \d+: /m);
    expect(server.err()).not.toMatch(/internal error|at Coordinator/);
    expect(await stays.exit).toBe(1);
    expect(stays.err()).toMatch(/training failed: round \d+/);
  });

  it("rejects a reply for more samples than the client joined with, and keeps its metrics out", async () => {
    const server = await FederatedServer.start({
      clients: 2,
      rounds: 3,
      minClients: 1,
      joinTimeoutMs: 10_000,
      requestTimeoutMs: 5000,
    });
    try {
      const honest = joinFederation({
        server: server.url,
        data: courseClientData(0, 42),
        timeoutMs: 15_000,
      });
      // a client that answers honestly, except that its metrics claim
      // ten times its samples, all of them right
      const liar = new WebSocket(server.url);
      const inner = new LocalClient(courseClientData(1, 42));
      await new Promise<void>((resolve) => liar.on("open", () => resolve()));
      liar.on("message", (data) => {
        const msg = JSON.parse(String(data));
        if (msg.type !== "train" && msg.type !== "evaluate") return;
        const reply = inner.handle(msg) as Record<string, unknown>;
        if (reply.type === "metrics") {
          const n = (reply.nSamples as number) * 10;
          Object.assign(reply, { nSamples: n, correct: n, lossSum: 0 });
        }
        liar.send(JSON.stringify(reply));
      });
      liar.send(JSON.stringify(inner.hello()));
      const run = await server.done;
      await honest;
      liar.terminate();
      expect(
        server.log.some((l) =>
          /rejected a metrics message: client-1 claimed 2000 samples in a metrics reply, 200 when it joined/.test(
            l,
          ),
        ),
      ).toBe(true);
      for (const r of run.rounds) {
        expect(r.nSamples).toBe(200);
        expect(r.accuracy).toBeLessThanOrEqual(1);
      }
    } finally {
      await server.close();
    }
  });

  it("join requires an explicit ws:// server", async () => {
    await expect(
      joinFederation({
        server: "http://127.0.0.1:1",
        data: courseClientData(0, 42),
      }),
    ).rejects.toThrow(/server must be a ws:\/\/ or wss:\/\/ URL/);
  });
});
