/**
 * Federated learning simulated on one machine: each client runs in its
 * own worker thread, makes or loads its data there, and exchanges only
 * parameters and metrics with the coordinator in the main thread (Node
 * only). `threads: false` runs the same clients in the calling thread,
 * for quick tests of the algorithms.
 */
import { FederationError } from "../errors.js";
import { Worker } from "node:worker_threads";
import type { BackendName } from "../backend.js";
import {
  Coordinator,
  type ClientLink,
  type FederatedOptions,
  type FederatedRun,
  type ReceivedUpdate,
  type RoundRecord,
} from "./coordinator.js";
import { loadClientData, type ClientDataSpec } from "./data.js";
import { LocalClient } from "./local.js";
import type { ClientHello, ClientReply, ServerRequest } from "./protocol.js";
import type { WorkerInit } from "./worker.js";
import { compiledWorkerUrl } from "../parallel/worker-url.js";

/** Options of {@link simulate}. */
export interface SimulationOptions extends FederatedOptions {
  /** kernels the clients run; default "wasm" */
  backend?: BackendName;
  /** one worker thread per client (default true), or all in this thread */
  threads?: boolean;
  /** called after each round */
  onRound?: (record: RoundRecord) => void;
  /** the coordinator's event lines (drops and the like) */
  log?: (line: string) => void;
}

/** A simulation's result and what the coordinator received. */
export interface SimulationResult extends FederatedRun {
  received: ReceivedUpdate[];
  clientNames: string[];
}

/** The compiled worker script, dist/federated/worker.js. */
export function workerUrl(base: string = import.meta.url): URL {
  return compiledWorkerUrl(base, "federated/worker.js", "the federated worker");
}

/**
 * Runs federated training over one client per spec, named client-0,
 * client-1, ... in spec order.
 * @throws as Coordinator.run, and Error when a client cannot load its data
 */
export async function simulate(
  specs: readonly ClientDataSpec[],
  options: SimulationOptions = {},
): Promise<SimulationResult> {
  const { backend = "wasm", threads = true, onRound, log, ...fed } = options;
  const names = specs.map((_, k) => `client-${k}`);
  const links: (ClientLink & { close(): Promise<void> })[] = [];
  try {
    for (const [k, spec] of specs.entries()) {
      links.push(
        threads
          ? await startWorker(names[k], spec, backend)
          : inProcess(names[k], spec, backend),
      );
    }
    const coordinator = new Coordinator(fed, log, onRound);
    const run = await coordinator.run(() => links);
    return { ...run, received: coordinator.received, clientNames: names };
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
}

function inProcess(name: string, spec: ClientDataSpec, backend: BackendName) {
  const client = new LocalClient(loadClientData(spec), backend, name);
  return {
    name,
    hello: client.hello(),
    request: async (msg: ServerRequest) => client.handle(msg),
    close: async () => client.dispose(),
  };
}

/** Starts a client's worker and waits for its hello. */
function startWorker(name: string, spec: ClientDataSpec, backend: BackendName) {
  const init: WorkerInit = { name, spec, backend };
  const worker = new Worker(workerUrl(), { workerData: init });
  const pending = new Map<
    number,
    { resolve: (r: ClientReply) => void; reject: (e: Error) => void }
  >();
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  return new Promise<ClientLink & { close(): Promise<void> }>(
    (resolve, reject) => {
      worker.once("error", (err) => {
        fail(err);
        reject(err);
      });
      worker.once("exit", () =>
        fail(new FederationError(`${name}'s worker exited`)),
      );
      worker.on(
        "message",
        (
          msg: ClientHello | ClientReply | { type: "fatal"; message: string },
        ) => {
          if (msg.type === "fatal") {
            reject(new FederationError(`${name}: ${msg.message}`));
            void worker.terminate();
          } else if (msg.type === "hello") {
            resolve({
              name,
              hello: msg,
              request: (req) =>
                new Promise((res, rej) => {
                  if (failure) return rej(failure);
                  pending.set(req.id, { resolve: res, reject: rej });
                  worker.postMessage(req);
                }),
              close: async () => void (await worker.terminate()),
            });
          } else {
            pending.get(msg.id)?.resolve(msg);
            pending.delete(msg.id);
          }
        },
      );
    },
  );
}
