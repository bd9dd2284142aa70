/**
 * The course's closing material on multimodal learning, as data: the
 * applications table, the figures behind its charts and the generative-AI
 * timeline. The values live in `data/overview.json`; this module reads and
 * checks them, and draws nothing.
 */
import { readFile } from "node:fs/promises";
import { DataError } from "../errors.js";

/** One row of the applications table. */
export interface Application {
  name: string;
  /** what the application does, one sentence */
  does: string;
  techniques: string[];
  challenges: string[];
}

/** Labelled values for a bar or share chart. */
export interface LabelledValues {
  title: string;
  items: { label: string; value: number }[];
}

/** Named series of values, one value per x position. */
export interface NamedSeries {
  name: string;
  values: number[];
}

/** Everything `wasmlearn overview` shows; `--json` prints it as is. */
export interface Overview {
  title: string;
  source: string;
  note: string;
  applications: Application[];
  domainShares: LabelledValues;
  researchTrend: {
    title: string;
    xLabel: string;
    yLabel: string;
    years: number[];
    series: NamedSeries[];
  };
  taskAccuracy: { title: string; tasks: string[]; series: NamedSeries[] };
  challengeDifficulty: LabelledValues;
  timeline: { title: string; events: { year: number; milestones: string[] }[] };
  generativeTrends: { topic: string; points: string[] }[];
}

/** Where the shipped data sit, from src/overview/ or dist/overview/. */
export const OVERVIEW_URL = new URL(
  "../../data/overview.json",
  import.meta.url,
);

/**
 * Reads and checks the overview data.
 * @param path - a JSON file in the shape of {@link Overview}; default the
 *   shipped `data/overview.json`
 * @throws DataError if the file is not valid JSON or lacks a field
 */
export async function loadOverview(
  path: URL | string = OVERVIEW_URL,
): Promise<Overview> {
  const text = await readFile(path, "utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError(
      `overview data is not valid JSON: ${(err as Error).message}`,
    );
  }
  checkOverview(data);
  return data;
}

/** Throws a DataError naming the first field missing or of the wrong kind. */
export function checkOverview(data: unknown): asserts data is Overview {
  const d = data as Overview;
  need(isObject(d), "overview data", "an object");
  for (const key of ["title", "source", "note"] as const) {
    need(typeof d[key] === "string", key, "a string");
  }
  need(Array.isArray(d.applications), "applications", "an array");
  d.applications.forEach((a, i) => {
    const name = `applications[${i}]`;
    need(
      isObject(a) && typeof a.name === "string" && typeof a.does === "string",
      name,
      "an object with name and does strings",
    );
    need(
      isStrings(a.techniques) && isStrings(a.challenges),
      name,
      "an object with techniques and challenges string arrays",
    );
  });
  checkLabelled(d.domainShares, "domainShares");
  checkLabelled(d.challengeDifficulty, "challengeDifficulty");

  const trend = d.researchTrend;
  need(
    isObject(trend) && isNumbers(trend.years),
    "researchTrend.years",
    "an array of numbers",
  );
  checkSeries(trend.series, trend.years.length, "researchTrend.series");
  const acc = d.taskAccuracy;
  need(
    isObject(acc) && isStrings(acc.tasks),
    "taskAccuracy.tasks",
    "an array of strings",
  );
  checkSeries(acc.series, acc.tasks.length, "taskAccuracy.series");

  need(
    isObject(d.timeline) && Array.isArray(d.timeline.events),
    "timeline.events",
    "an array",
  );
  d.timeline.events.forEach((e, i) =>
    need(
      isObject(e) && typeof e.year === "number" && isStrings(e.milestones),
      `timeline.events[${i}]`,
      "an object with a year and milestones",
    ),
  );
  need(Array.isArray(d.generativeTrends), "generativeTrends", "an array");
  d.generativeTrends.forEach((t, i) =>
    need(
      isObject(t) && typeof t.topic === "string" && isStrings(t.points),
      `generativeTrends[${i}]`,
      "an object with a topic and points",
    ),
  );
}

function checkLabelled(v: LabelledValues, name: string): void {
  need(
    isObject(v) && typeof v.title === "string" && Array.isArray(v.items),
    name,
    "an object with a title and items",
  );
  v.items.forEach((item, i) =>
    need(
      isObject(item) &&
        typeof item.label === "string" &&
        typeof item.value === "number",
      `${name}.items[${i}]`,
      "an object with a label and a number value",
    ),
  );
}

function checkSeries(
  series: NamedSeries[],
  length: number,
  name: string,
): void {
  need(Array.isArray(series) && series.length > 0, name, "a non-empty array");
  series.forEach((s, k) =>
    need(
      isObject(s) &&
        typeof s.name === "string" &&
        isNumbers(s.values) &&
        s.values.length === length,
      `${name}[${k}]`,
      `a name and ${length} values`,
    ),
  );
}

function need(ok: boolean, name: string, what: string): asserts ok {
  if (!ok) throw new DataError(`overview data: ${name} must be ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function isNumbers(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}
