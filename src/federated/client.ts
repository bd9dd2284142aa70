/**
 * A federated client over WebSocket (Node only): connects to a
 * coordinator's explicit URL, says hello, answers its requests with
 * LocalClient until it says "done". Nothing but parameters, counts,
 * feature sums and metrics is sent. The whole session is bounded by a
 * timeout.
 */
import { FederationError } from "../errors.js";
import { WebSocket } from "ws";
import type { BackendName } from "../backend.js";
import type { ClientData } from "./data.js";
import { LocalClient } from "./local.js";
import type { ServerMessage } from "./protocol.js";

/** Options of {@link joinFederation}. */
export interface JoinOptions {
  /** the coordinator's URL, ws:// or wss://; required, no default */
  server: string;
  data: ClientData;
  backend?: BackendName;
  /** give up after this long, ms; default 600000 */
  timeoutMs?: number;
  /** each event line */
  onLog?: (line: string) => void;
}

/** What the coordinator sent at the end, and the name it gave this client. */
export interface JoinResult {
  client: string;
  summary: unknown;
  requests: number;
}

/**
 * Checks a coordinator URL.
 * @throws RangeError unless it is a ws:// or wss:// URL
 */
export function checkServerUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new RangeError(
      `server must be a ws:// URL, got ${JSON.stringify(server)}`,
    );
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new RangeError(
      `server must be a ws:// or wss:// URL, got ${JSON.stringify(server)}`,
    );
  }
  return url;
}

/**
 * Takes part in a federated run until the coordinator ends it.
 * @throws (rejects) RangeError for a bad URL; Error when the connection
 *   fails or closes before the end, the coordinator reports a failure,
 *   or the timeout passes
 */
export async function joinFederation(
  options: JoinOptions,
): Promise<JoinResult> {
  const url = checkServerUrl(options.server);
  const client = new LocalClient(options.data, options.backend ?? "wasm");
  const log = options.onLog ?? (() => {});
  const socket = new WebSocket(url, { maxPayload: 16 * 1024 * 1024 });
  let requests = 0;
  try {
    return await new Promise<JoinResult>((resolve, reject) => {
      const ms = options.timeoutMs ?? 600_000;
      const timer = setTimeout(
        () =>
          reject(
            new FederationError(
              `the federation did not finish within ${ms} ms`,
            ),
          ),
        ms,
      );
      const end = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      socket.on("open", () => socket.send(JSON.stringify(client.hello())));
      socket.on("error", (err) =>
        end(() =>
          reject(
            new FederationError(
              `cannot reach the coordinator at ${url}: ${err.message}`,
            ),
          ),
        ),
      );
      socket.on("close", () =>
        end(() =>
          reject(
            new FederationError(
              "the coordinator closed the connection before the end",
            ),
          ),
        ),
      );
      socket.on("message", (data) => {
        let msg: ServerMessage;
        try {
          msg = JSON.parse(String(data)) as ServerMessage;
        } catch {
          log("ignored a message that is not JSON");
          return;
        }
        if (msg.type === "welcome") {
          client.name = msg.client;
          log(`joined as ${msg.client}`);
        } else if (msg.type === "done") {
          end(() =>
            resolve({ client: client.name, summary: msg.summary, requests }),
          );
        } else if (msg.type === "error") {
          log(`coordinator: ${msg.message}`);
          if (msg.fatal) end(() => reject(new FederationError(msg.message)));
        } else if (
          msg.type === "train" ||
          msg.type === "evaluate" ||
          msg.type === "forest"
        ) {
          requests++;
          socket.send(JSON.stringify(client.handle(msg)));
        }
      });
    });
  } finally {
    client.dispose();
    socket.removeAllListeners("close");
    socket.on("error", () => {});
    socket.close();
  }
}
