/**
 * A federated client in a worker thread (Node only). It makes or loads
 * its own data from the spec in `workerData`, says hello, then answers
 * the coordinator's requests with LocalClient; only parameters, counts
 * and metrics are posted back. Runs as compiled JavaScript
 * (dist/federated/worker.js); see simulate.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { BackendName } from "../backend.js";
import { loadClientData, type ClientDataSpec } from "./data.js";
import { LocalClient } from "./local.js";
import type { ServerRequest } from "./protocol.js";

/** What the simulation passes to each worker. */
export interface WorkerInit {
  name: string;
  spec: ClientDataSpec;
  backend: BackendName;
}

const port = parentPort;
if (port) {
  const init = workerData as WorkerInit;
  try {
    const client = new LocalClient(
      loadClientData(init.spec),
      init.backend,
      init.name,
    );
    port.on("message", (msg: ServerRequest) =>
      port.postMessage(client.handle(msg)),
    );
    port.postMessage(client.hello());
  } catch (err) {
    port.postMessage({ type: "fatal", message: (err as Error).message });
  }
}
