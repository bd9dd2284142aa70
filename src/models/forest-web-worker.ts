/**
 * The Web Worker side of `RandomForestClassifier.fitAsync` in browsers:
 * a module worker (dist/models/forest-web-worker.js, started by
 * src/parallel/web-pool.ts) that answers each message, a ForestTask, with
 * its ForestTaskResult. The work itself is forest-worker.ts's, shared
 * with Node's worker threads, so both give the same trees.
 */
import growForestTask, {
  type ForestTask,
  type ForestTaskResult,
} from "./forest-worker.js";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ForestTask>) => void) | null;
  postMessage(message: ForestTaskResult, transfer: Transferable[]): void;
};

scope.onmessage = async (event) => {
  const result = await growForestTask(event.data);
  const transfer = Object.values(result)
    .filter(ArrayBuffer.isView)
    .map((a) => (a as Int32Array | Float64Array).buffer as ArrayBuffer);
  scope.postMessage(result, [...new Set(transfer)]);
};
