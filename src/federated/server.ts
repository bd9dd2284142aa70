/**
 * The federated coordinator over WebSocket (Node only, the `ws` package).
 * It listens on 127.0.0.1 only, waits for `clients` clients to say hello,
 * then runs the same Coordinator as the simulation over them. Clients
 * that join later take part from the next round; a client that
 * disconnects or times out mid-round is dropped from it (the round
 * completes if at least minClients answered); malformed messages are
 * rejected with an "error" reply and a log line, and the server keeps
 * running. Every wait is bounded by a timeout.
 */
import { FederationError } from "../errors.js";
import { WebSocketServer, type WebSocket } from "ws";
import {
  Coordinator,
  misfit,
  type ClientLink,
  type FederatedOptions,
  type FederatedRun,
  type ReceivedUpdate,
  type RoundRecord,
} from "./coordinator.js";
import {
  parseClientMessage,
  type ClientHello,
  type ClientReply,
  type ServerMessage,
  type ServerRequest,
} from "./protocol.js";

/** Options of {@link FederatedServer.start}. */
export interface ServeOptions extends FederatedOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one */
  port?: number;
  /** clients to wait for before the first round; default 2 */
  clients?: number;
  /** how long to wait for them, ms; default 120000 */
  joinTimeoutMs?: number;
  /** how long a client may take to answer one request, ms; default 30000 */
  requestTimeoutMs?: number;
  /** each log line as it happens (also kept in `log`) */
  onLog?: (line: string) => void;
  onRound?: (record: RoundRecord) => void;
}

/** Largest message accepted, bytes. */
const MAX_PAYLOAD = 16 * 1024 * 1024;

interface Peer extends ClientLink {
  socket: WebSocket;
}

/** A running coordinator; `done` settles when training ends. */
export class FederatedServer {
  /** every event: joins, drops, rejected messages, rounds */
  readonly log: string[] = [];
  readonly coordinator: Coordinator;
  /** resolves with the run; rejects on a failed round or a join timeout */
  readonly done: Promise<FederatedRun>;
  private readonly peers: Peer[] = [];
  private readonly pending = new Map<
    number,
    {
      peer: Peer;
      resolve: (r: ClientReply) => void;
      reject: (e: Error) => void;
      timer: NodeJS.Timeout;
    }
  >();
  private joined = 0;
  private started = false;
  private finished = false;
  private startTraining!: () => void;
  private failStart!: (err: Error) => void;

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: ServeOptions,
  ) {
    this.coordinator = new Coordinator(
      options,
      (line) => this.note(line),
      options.onRound,
    );
    const ready = new Promise<void>((resolve, reject) => {
      this.startTraining = resolve;
      this.failStart = reject;
    });
    const joinTimer = setTimeout(
      () =>
        this.failStart(
          new FederationError(
            `only ${this.peers.length} of ${this.wanted} clients joined within ${this.joinTimeout} ms`,
          ),
        ),
      this.joinTimeout,
    );
    this.done = ready
      .then(() => {
        clearTimeout(joinTimer);
        this.started = true;
        this.dropMisfits();
        this.note(`starting with ${this.peers.map((p) => p.name).join(", ")}`);
        return this.coordinator.run(() => this.peers);
      })
      .finally(() => {
        clearTimeout(joinTimer);
        this.finished = true;
      });
    this.done.then(
      (run) =>
        this.broadcast({
          type: "done",
          summary: {
            rounds: run.rounds.length,
            last: run.rounds.at(-1) ?? null,
          },
        }),
      (err: Error) =>
        this.broadcast({
          type: "error",
          message: `training failed: ${err.message}`,
          fatal: true,
        }),
    );
    wss.on("connection", (socket) => this.accept(socket));
  }

  /**
   * Starts listening on 127.0.0.1.
   * @throws RangeError for bad options; rejects when the port is taken
   */
  static async start(options: ServeOptions = {}): Promise<FederatedServer> {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(
        `port must be an integer from 0 to 65535, got ${port}`,
      );
    }
    const wss = new WebSocketServer({
      host: "127.0.0.1",
      port,
      maxPayload: MAX_PAYLOAD,
    });
    await new Promise<void>((resolve, reject) => {
      wss.once("listening", resolve);
      wss.once("error", (err) =>
        reject(
          new FederationError(
            `cannot listen on 127.0.0.1:${port}: ${err.message}`,
          ),
        ),
      );
    });
    return new FederatedServer(wss, options);
  }

  /** The port listened on. */
  get port(): number {
    return (this.wss.address() as { port: number }).port;
  }

  /** ws://127.0.0.1:port */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** What the coordinator received: masked vectors only under secure aggregation. */
  get received(): ReceivedUpdate[] {
    return this.coordinator.received;
  }

  /** Closes every connection and stops listening. */
  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.failStart(new FederationError("server closed"));
    this.done.catch(() => {});
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private get wanted(): number {
    return this.options.clients ?? 2;
  }

  private get joinTimeout(): number {
    return this.options.joinTimeoutMs ?? 120_000;
  }

  private note(line: string): void {
    this.log.push(line);
    this.options.onLog?.(line);
  }

  private accept(socket: WebSocket): void {
    let peer: Peer | null = null;
    socket.on("message", (data) => {
      let msg;
      try {
        msg = parseClientMessage(String(data));
      } catch (err) {
        this.note(
          `rejected a malformed message from ${peer?.name ?? "an unnamed client"}: ${(err as Error).message}`,
        );
        send(socket, { type: "error", message: (err as Error).message });
        return;
      }
      if (msg.type === "hello") {
        if (peer) this.note(`rejected a second hello from ${peer.name}`);
        else peer = this.join(socket, msg);
        return;
      }
      const waiting = this.pending.get(msg.id);
      if (!peer || !waiting || waiting.peer !== peer) {
        this.note(
          `rejected an unexpected ${msg.type} message from ${peer?.name ?? "an unnamed client"}`,
        );
        send(socket, {
          type: "error",
          message: `no request ${msg.id} is waiting for a reply`,
        });
        return;
      }
      // a reply speaks for the samples the client said it holds
      if ("nSamples" in msg && msg.nSamples !== peer.hello.nSamples) {
        const why = `${peer.name} claimed ${msg.nSamples} samples in a ${msg.type} reply, ${peer.hello.nSamples} when it joined`;
        this.note(`rejected a ${msg.type} message: ${why}`);
        send(socket, { type: "error", message: why });
        this.settle(msg.id)?.resolve({
          type: "error",
          id: msg.id,
          message: why,
        });
        return;
      }
      this.settle(msg.id)?.resolve(msg);
    });
    socket.on("close", () => {
      if (!peer) return;
      const k = this.peers.indexOf(peer);
      if (k >= 0) this.peers.splice(k, 1);
      if (!this.finished) this.note(`${peer.name} disconnected`);
      for (const [id, p] of this.pending) {
        if (p.peer === peer)
          this.settle(id)?.reject(
            new FederationError(`${peer.name} disconnected`),
          );
      }
    });
    socket.on("error", () => socket.terminate());
  }

  /**
   * Keeps the clients that agree on the feature count and the kind of
   * label (number or string) with the most others, and turns the rest
   * away, so that one misconfigured or hostile client cannot stop the
   * federation for everyone.
   */
  private dropMisfits(): void {
    const key = (p: Peer) =>
      `${p.hello.nFeatures}/${typeof p.hello.classes[0]}`;
    const counts = new Map<string, number>();
    for (const p of this.peers)
      counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
    let best = "";
    for (const [k, n] of counts) if (n > (counts.get(best) ?? 0)) best = k;
    for (const p of [...this.peers]) {
      if (key(p) === best) continue;
      this.turnAway(
        p,
        `${p.hello.nFeatures} features, others have ${best.split("/")[0]}`,
      );
      this.peers.splice(this.peers.indexOf(p), 1);
    }
  }

  /** Tells a client why it cannot take part, and closes its connection. */
  private turnAway(peer: Pick<Peer, "name" | "socket">, why: string): void {
    this.note(`turned ${peer.name} away: ${why}`);
    send(peer.socket, {
      type: "error",
      message: `the coordinator turned this client away: ${why}`,
      fatal: true,
    });
    peer.socket.close();
  }

  private join(socket: WebSocket, hello: ClientHello): Peer | null {
    if (this.finished) {
      send(socket, { type: "error", message: "training is over", fatal: true });
      socket.close();
      return null;
    }
    const config = this.coordinator.config;
    if (this.started && config) {
      // a late joiner must fit the model already being trained
      const why = misfit(hello, config);
      if (why) {
        this.turnAway({ name: `client-${this.joined++}`, socket }, why);
        return null;
      }
    }
    const name = `client-${this.joined++}`;
    const peer: Peer = {
      name,
      hello,
      socket,
      request: (req) => this.request(peer, req),
    };
    this.peers.push(peer);
    send(socket, { type: "welcome", client: name });
    this.note(
      `${name} joined with ${hello.nSamples} samples${this.started ? " (late: from the next round)" : ""}`,
    );
    if (!this.started && this.peers.length >= this.wanted) this.startTraining();
    return peer;
  }

  private request(peer: Peer, req: ServerRequest): Promise<ClientReply> {
    return new Promise((resolve, reject) => {
      const ms = this.options.requestTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.settle(req.id)?.reject(
          new FederationError(`${peer.name} did not answer within ${ms} ms`),
        );
      }, ms);
      this.pending.set(req.id, { peer, resolve, reject, timer });
      send(peer.socket, req);
    });
  }

  private settle(id: number) {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  private broadcast(msg: ServerMessage): void {
    for (const p of this.peers) send(p.socket, msg);
  }
}

function send(socket: WebSocket, msg: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
}
