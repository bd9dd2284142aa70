/**
 * A search's journal (Node only): a JSON-lines file whose first line is
 * a header with the search's configuration and each further line one
 * finished trial, appended and flushed as it finishes. Rerunning the
 * search with the same journal reuses every trial in it, so an
 * interrupted search finishes only the rest, and a search given more
 * trials (random, TPE) extends the earlier one.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import type { TrialStore } from "./runner.js";
import type { TrialRecord } from "./trial.js";

/** The journal format's version; a file of another version is refused. */
export const JOURNAL_VERSION = 1;

/**
 * What must match for a journal to be resumed: everything that changes
 * a trial's params or scores. Not the number of trials, the jobs, the
 * target or the time budget: those only decide how far the search goes.
 */
export type JournalConfig = Record<string, unknown>;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Trial lines as written: NaN fold scores become null. */
function trialLine(rec: TrialRecord): string {
  const scores = rec.scores.map((s) => (Number.isFinite(s) ? s : null));
  return JSON.stringify({ type: "trial", ...rec, scores }) + "\n";
}

function parseTrial(line: unknown, where: string): TrialRecord {
  const t = line as Record<string, unknown>;
  if (
    !t ||
    t.type !== "trial" ||
    !Number.isInteger(t.id) ||
    typeof t.params !== "object" ||
    (t.status !== "ok" && t.status !== "failed") ||
    !Array.isArray(t.scores)
  ) {
    throw new RangeError(
      `${where} must be a trial record, got ${JSON.stringify(line).slice(0, 80)}`,
    );
  }
  const { type: _type, ...rest } = t;
  const rec = rest as unknown as TrialRecord;
  rec.scores = rec.scores.map((s) => (s === null ? NaN : s));
  return rec;
}

/**
 * Opens (or creates) the journal at `path` for a search with `config`.
 * An existing journal must have the same config; its trials become the
 * store's finished trials. A last line cut short by a kill is dropped
 * (and cut from the file). Nothing is written until the first trial
 * finishes, except a new file's header.
 * @throws RangeError when the file is not a journal, is of another
 *   version, or holds another search's configuration (naming the keys
 *   that differ)
 */
export function openJournal(
  path: string,
  config: JournalConfig,
): TrialStore & { path: string } {
  const header = { type: "header", version: JOURNAL_VERSION, config };
  const finished = new Map<number, TrialRecord>();
  const stat = statSync(path, { throwIfNoEntry: false });
  // a FIFO, a device or a directory would block or fail: refuse them first
  if (stat && !stat.isFile()) {
    throw new RangeError(`journal must be a regular file, got ${path}`);
  }
  if (!stat) checkWritableDirectory(path);
  const exists = stat !== undefined && stat.size > 0;
  if (exists) {
    const text = readFileSync(path, "utf8");
    let lines = text.split("\n");
    let keep = text.length;
    if (!text.endsWith("\n")) {
      // the last write was cut: drop that line
      keep = text.lastIndexOf("\n") + 1;
      lines = text.slice(0, keep).split("\n");
    }
    lines = lines.filter((l) => l.trim() !== "");
    let first: Record<string, unknown>;
    try {
      first = JSON.parse(lines[0] ?? "null");
    } catch {
      first = {};
    }
    if (!first || first.type !== "header") {
      throw new RangeError(
        `journal ${path} must start with a wasmlearn automl header line, got something else`,
      );
    }
    if (first.version !== JOURNAL_VERSION) {
      throw new RangeError(
        `journal ${path} must be version ${JOURNAL_VERSION}, got ${JSON.stringify(first.version)}`,
      );
    }
    const old = (first.config ?? {}) as Record<string, unknown>;
    const differ = [...new Set([...Object.keys(old), ...Object.keys(config)])]
      .filter((k) => canonical(old[k]) !== canonical(config[k]))
      .sort();
    if (differ.length > 0) {
      throw new RangeError(
        `journal ${path} must come from the same search to resume it; ` +
          `it differs in ${differ.join(", ")} (got ${differ
            .map((k) => `${k}=${canonical(old[k])}`)
            .join(", ")}): use another --journal file`,
      );
    }
    lines.slice(1).forEach((l, k) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(l);
      } catch {
        throw new RangeError(
          `journal ${path} line ${k + 2} must be JSON, got ${l.slice(0, 40)}`,
        );
      }
      const rec = parseTrial(parsed, `journal ${path} line ${k + 2}`);
      finished.set(rec.id, rec);
    });
    if (keep < text.length)
      truncateSync(path, Buffer.byteLength(text.slice(0, keep)));
  }
  try {
    const fd = openSync(path, "a");
    try {
      if (!exists) {
        writeSync(fd, JSON.stringify(header) + "\n");
        fsyncSync(fd);
      }
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RangeError(
      `journal ${path} must be writable, got ${code ?? (err as Error).message}`,
    );
  }
  return {
    path,
    finished,
    append(rec: TrialRecord) {
      const out = openSync(path, "a");
      try {
        writeSync(out, trialLine(rec));
        fsyncSync(out);
      } finally {
        closeSync(out);
      }
    },
  };
}

/** A new journal's directory must exist: say so, rather than fail on open. */
function checkWritableDirectory(path: string): void {
  const dir = dirname(resolve(path));
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) {
    throw new RangeError(
      `journal ${path} must be in an existing directory, got ${dir}`,
    );
  }
}
