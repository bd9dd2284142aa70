/** `wasmlearn overview`: the course's closing material on multimodal learning. */
import { Command } from "commander";
import {
  barChart,
  formatTable,
  groupedBarChart,
  lineChart,
  shareChart,
  truncate,
  wrapText,
} from "../charts/index.js";
import { loadOverview, type Overview } from "../overview/data.js";
import type { CliIO } from "./io.js";

interface OverviewFlags {
  json: boolean;
  color: boolean;
  ascii: boolean;
}

const EXAMPLES = `
Examples:
  $ wasmlearn overview                  tables and charts
  $ wasmlearn overview --json | jq .taskAccuracy
`;

/** Charts stop growing past this width; wide bars read no better. */
const MAX_WIDTH = 100;

/** Defines the command; `io` receives all output. */
export function overviewCommand(
  io: CliIO,
  setExit: (code: number) => void,
): Command {
  return new Command("overview")
    .description(
      "multimodal learning: applications, research trends and the " +
        "generative-AI timeline (course summary)",
    )
    .option("--json", "print the data as JSON", false)
    .option("--ascii", "draw with ASCII characters only", false)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: OverviewFlags) => {
      const data = await loadOverview();
      if (flags.json) {
        io.stdout(JSON.stringify(data, null, 2) + "\n");
      } else {
        const look = {
          width: Math.min(io.columns, MAX_WIDTH),
          color: io.color,
          ascii: flags.ascii,
        };
        io.stdout(formatOverview(data, look) + "\n");
      }
      setExit(0);
    });
}

/** How {@link formatOverview} draws: width in columns, colour, glyphs. */
export interface OverviewLook {
  width: number;
  color: boolean;
  ascii: boolean;
}

/** The whole report: tables and charts separated by blank lines. */
export function formatOverview(data: Overview, look: OverviewLook): string {
  const { width } = look;
  const heading = [
    truncate(data.title, width),
    ...wrapText(`From the ${data.source}; ${data.note}.`, width),
  ].join("\n");
  return [
    heading,
    applicationsTable(data, look),
    shareChart(data.domainShares.items, {
      ...look,
      title: data.domainShares.title,
    }),
    trendChart(data, look),
    accuracyChart(data, look),
    barChart(data.challengeDifficulty.items, {
      ...look,
      title: data.challengeDifficulty.title,
      digits: 2,
      min: 0,
      highlight: "max",
    }),
    timelineTable(data, look),
    trendList(data, width),
  ].join("\n\n");
}

/**
 * The applications table, each cell wrapped to its column so the table
 * fits `width`; continuation lines leave the other columns blank.
 */
function applicationsTable(data: Overview, look: OverviewLook): string {
  const { width, ascii } = look;
  const gap = 2;
  const free = width - 3 * gap;
  const widths = [0.22, 0.3, 0.22].map((f) =>
    Math.max(4, Math.floor(free * f)),
  );
  widths.push(Math.max(4, free - widths[0] - widths[1] - widths[2]));

  const rows: string[][] = [];
  data.applications.forEach((app, i) => {
    if (i > 0) rows.push(["", "", "", ""]);
    const cells = [
      app.name,
      app.does,
      app.techniques.join(", "),
      app.challenges.join(", "),
    ].map((text, j) => wrapText(text, widths[j]));
    const nLines = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < nLines; k++) rows.push(cells.map((c) => c[k] ?? ""));
  });
  const headers = [
    "application",
    "what it does",
    "core techniques",
    "main challenges",
  ];
  const columns = headers.map((h, j) => ({ header: truncate(h, widths[j]) }));
  return [
    "Applications of multimodal learning",
    formatTable(columns, rows, { gap, width, ascii }),
  ].join("\n");
}

function trendChart(data: Overview, look: OverviewLook): string {
  const t = data.researchTrend;
  return lineChart(t.series, {
    ...look,
    title: t.title,
    yLabel: t.yLabel,
    xLabel: t.xLabel,
    xLabels: t.years.map(String),
    digits: 2,
  });
}

function accuracyChart(data: Overview, look: OverviewLook): string {
  const a = data.taskAccuracy;
  const groups = a.tasks.map((label, g) => ({
    label,
    values: a.series.map((s) => s.values[g]),
  }));
  // A baseline of 0.5 makes the 0.02 gaps on the easy tasks visible; the
  // scale line under the bars prints it.
  return groupedBarChart(
    groups,
    a.series.map((s) => s.name),
    {
      ...look,
      title: `${a.title} (test accuracy)`,
      digits: 2,
      min: 0.5,
      max: 1,
    },
  );
}

function timelineTable(data: Overview, look: OverviewLook): string {
  const { width, ascii } = look;
  const rows = data.timeline.events.flatMap((e) =>
    e.milestones.map((m, k) => [k === 0 ? String(e.year) : "", m]),
  );
  const table = formatTable(
    [{ header: "year" }, { header: "milestone" }],
    rows.map(([year, m]) => [year, truncate(m, width - 6)]),
    { ascii },
  );
  return `${truncate(data.timeline.title, width)}\n${table}`;
}

function trendList(data: Overview, width: number): string {
  const lines = ["Where generative AI is heading"];
  for (const { topic, points } of data.generativeTrends) {
    lines.push(`${truncate(topic, width)}:`);
    for (const point of points) {
      const [first, ...rest] = wrapText(point, width - 4);
      lines.push(`  - ${first}`, ...rest.map((l) => `    ${l}`));
    }
  }
  return lines.join("\n");
}
