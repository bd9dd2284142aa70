/**
 * Line charts of one or more series over a shared x axis, drawn with
 * asciichart.
 *
 * asciichart cannot skip values, so each run of finite values is plotted on
 * its own and pasted into one grid at its x offset; the gaps stay blank.
 * Every call uses the same scale, so the runs and series line up.
 */
import asciichart, { type PlotConfig } from "asciichart";
import {
  ANSI,
  checkDigits,
  checkWidth,
  formatNumber,
  joinFitting,
  NO_DATA,
  pad,
  paint,
  truncate,
} from "./table.js";

/** One line of {@link lineChart}; value i is plotted at x position i. */
export interface LineSeries {
  name: string;
  values: readonly number[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  /** total width in columns, at least 20; default 80 */
  width?: number;
  /** plot rows, at least 2; default 10 */
  height?: number;
  /** one per x position (the longest series' length), e.g. epochs */
  xLabels?: readonly string[];
  /** x axis name with units, printed right-aligned under the x labels */
  xLabel?: string;
  /** y axis name with units, printed above the y axis */
  yLabel?: string;
  /** first line of the chart */
  title?: string;
  /** decimals of the y labels; default: enough to tell rows apart, <= 6 */
  digits?: number;
  /** ANSI colours; default false (the caller checks TTY and NO_COLOR) */
  color?: boolean;
  /** ASCII glyphs only, for terminals without Unicode; default false */
  ascii?: boolean;
}

const MIN_WIDTH = 20;
// y labels wider than this switch to exponent notation.
const MAX_TICK_WIDTH = 10;
const MAX_X_LABEL_WIDTH = 12;
const SERIES_COLORS = [ANSI.cyan, ANSI.magenta, ANSI.yellow, ANSI.blue];

type Symbols = NonNullable<PlotConfig["symbols"]>;

// asciichart's order: axis origin, axis, line start, line end, horizontal,
// then the corners ╰ ╭ ╮ ╯ and the vertical. One set per series keeps series
// apart without colour; sets repeat after four.
const UNICODE_SYMBOLS: Symbols[] = [
  ["┼", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"],
  ["┼", "┤", "╶", "╴", "═", "╚", "╔", "╗", "╝", "║"],
  ["┼", "┤", "╶", "╴", "━", "┗", "┏", "┓", "┛", "┃"],
  ["┼", "┤", "╶", "╴", "┄", "╰", "╭", "╮", "╯", "┆"],
];
const ASCII_SYMBOLS: Symbols[] = [
  ["+", "|", "-", "-", "-", "'", ".", ".", "'", "|"],
  ["+", "|", "=", "-", "=", "'", ".", ".", "'", "|"],
  ["+", "|", "~", "-", "~", "'", ".", ".", "'", "|"],
  ["+", "|", "*", "-", "*", "'", ".", ".", "'", "|"],
];

/**
 * The scale of the plot. asciichart is given values normalised to [0, 1]:
 * it rounds absolute positions (round(v * rows / range)), so a scale not
 * starting at 0 may gain or lose a row, and a range like ±1e308 overflows.
 */
interface Geometry {
  lo: number;
  hi: number;
  /** plot lines minus one */
  rows: number;
}

/**
 * Plot `series` as lines with y labels on the left and optional x labels
 * below; a legend is added when there is more than one series.
 *
 * Series longer than the plot width are resampled to it by averaging the
 * finite values falling in each column; shorter ones are stretched by an
 * integer factor with linear interpolation, so every point lands on a
 * column. NaN and ±Infinity leave gaps; a constant series is drawn as a flat
 * line mid-height; no finite values at all gives "(no data)".
 *
 * @returns lines joined with "\n", each at most `width` columns (ANSI codes
 *   not counted); no final newline.
 * @throws TypeError if a name is not a string or a value not a number.
 * @throws RangeError if an option is out of range or `xLabels` does not
 *   have one entry per x position.
 */
export function lineChart(
  series: readonly LineSeries[],
  options: LineChartOptions = {},
): string {
  const { width = 80, height = 10, title, color = false } = options;
  const nPoints = Math.max(0, ...series.map((s) => s.values.length));
  checkLineOptions(series, options, width, height, nPoints);
  const geometry = resolveGeometry(series, height);
  if (geometry === undefined) {
    return [title, NO_DATA]
      .filter((line) => line !== undefined)
      .map((line) => truncate(line, width))
      .join("\n");
  }

  // y labels first: their width fixes what is left for the plot.
  const ticks = tickLabels(geometry, options.digits);
  const tickW = Math.max(...ticks.map((t) => t.length));
  const { positions, nColumns } = layoutX(nPoints, width - tickW - 2);
  const symbolSets = options.ascii ? ASCII_SYMBOLS : UNICODE_SYMBOLS;
  const symbolsOf = (s: number): Symbols => symbolSets[s % symbolSets.length];
  const grid = plotGrid(series, geometry, positions, nColumns, symbolsOf);

  const lines: string[] = [];
  for (const text of [title, options.yLabel]) {
    if (text !== undefined) lines.push(truncate(text, width));
  }
  if (series.length > 1) {
    lines.push(legendLine(series, symbolsOf, width, color));
  }
  lines.push(...plotLines(grid, ticks, tickW, color));
  if (options.xLabels !== undefined) {
    lines.push(xLabelLine(options.xLabels, positions, tickW + 1, width));
  }
  if (options.xLabel !== undefined) {
    lines.push(pad(truncate(options.xLabel, width), width, "right"));
  }
  return lines.join("\n");
}

function checkLineOptions(
  series: readonly LineSeries[],
  options: LineChartOptions,
  width: number,
  height: number,
  nPoints: number,
): void {
  series.forEach((s, k) => {
    if (typeof s.name !== "string") {
      throw new TypeError(
        `series[${k}].name must be a string, got ${typeof s.name}`,
      );
    }
    const bad = s.values.findIndex((v) => typeof v !== "number");
    if (bad >= 0) {
      throw new TypeError(
        `series[${k}].values[${bad}] must be a number, ` +
          `got ${typeof s.values[bad]}`,
      );
    }
  });
  checkWidth(width, MIN_WIDTH);
  checkWidth(height, 2, "height");
  if (options.digits !== undefined) checkDigits(options.digits);
  const { xLabels } = options;
  if (xLabels !== undefined && xLabels.length !== nPoints) {
    throw new RangeError(
      `xLabels must have ${nPoints} entries (one per x position), ` +
        `got ${xLabels.length}`,
    );
  }
}

/**
 * The scale of the finite values, `height` rows tall; undefined when there
 * are none.
 */
function resolveGeometry(
  series: readonly LineSeries[],
  height: number,
): Geometry | undefined {
  // A loop, not Math.min(...values): spreading a long series overflows the
  // call stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const { values } of series) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) return undefined;

  if (lo === hi) {
    // A zero range would collapse the plot to one row; centre the line.
    const margin = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= margin;
    hi += margin;
  }
  return { lo, hi, rows: height - 1 };
}

/**
 * `v` mapped to [0, 1] on the scale, NaN if not finite. Halving first keeps
 * hi - lo finite for any finite lo and hi.
 */
function normalise(v: number, geometry: Geometry): number {
  if (!Number.isFinite(v)) return NaN;
  const { lo, hi } = geometry;
  return clamp01((v / 2 - lo / 2) / (hi / 2 - lo / 2));
}

/** Row index (0 at the top) asciichart draws normalised `n` on. */
function rowOf(n: number, geometry: Geometry): number {
  return geometry.rows - Math.round(n * geometry.rows);
}

/**
 * One y label per row, top first. Default decimals resolve the row step
 * with one to spare, ceil(-log10(step)) + 1, capped at 6.
 */
function tickLabels(geometry: Geometry, digits: number | undefined): string[] {
  const { lo, hi, rows } = geometry;
  const halfSpan = hi / 2 - lo / 2;
  const step = (2 * halfSpan) / rows;
  const auto = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step)) + 1));
  return Array.from({ length: rows + 1 }, (_, r) => {
    const value = 2 * (lo / 2 + ((rows - r) / rows) * halfSpan);
    return formatNumber(value, digits ?? auto, MAX_TICK_WIDTH);
  });
}

/**
 * Where each input index lands on the plot: point p sits on column p - 1
 * (point 0 on the axis), as asciichart draws column p between points p and
 * p + 1.
 *
 * @returns `positions[i]`, the point index of input index i, and the number
 *   of points after resampling.
 */
function layoutX(
  nPoints: number,
  plotW: number,
): { positions: number[]; nColumns: number } {
  const capacity = plotW + 1;
  if (nPoints > capacity) {
    const positions = Array.from({ length: nPoints }, (_, i) =>
      Math.floor((i * capacity) / nPoints),
    );
    return { positions, nColumns: capacity };
  }
  const step = nPoints > 1 ? Math.floor(plotW / (nPoints - 1)) : 1;
  const positions = Array.from({ length: nPoints }, (_, i) => i * step);
  return { positions, nColumns: (nPoints - 1) * step + 1 };
}

/**
 * `values` on the `nColumns` resampled points. Downsampling averages the
 * finite values sharing a point (NaN if none); upsampling interpolates
 * linearly between finite neighbours and leaves NaN between the others.
 */
function resample(
  values: readonly number[],
  positions: readonly number[],
  nColumns: number,
): number[] {
  const sums = new Array<number>(nColumns).fill(0);
  const counts = new Array<number>(nColumns).fill(0);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    sums[positions[i]] += v;
    counts[positions[i]]++;
  });
  const out = sums.map((sum, p) => (counts[p] > 0 ? sum / counts[p] : NaN));
  if (positions.length < 2 || positions[1] - positions[0] <= 1) return out;

  for (let i = 0; i + 1 < values.length; i++) {
    const [a, b] = [positions[i], positions[i + 1]];
    for (let p = a + 1; p < b; p++) {
      out[p] = values[i] + ((values[i + 1] - values[i]) * (p - a)) / (b - a);
    }
  }
  return out;
}

interface Grid {
  /** rows x nColumns: the axis cell, then the nColumns - 1 segments */
  cells: string[][];
  /** series index owning each cell, -1 for the axis and blanks */
  owners: number[][];
}

/**
 * Draw every series into one grid. Later series overwrite earlier ones
 * where they cross.
 */
function plotGrid(
  series: readonly LineSeries[],
  geometry: Geometry,
  positions: readonly number[],
  nColumns: number,
  symbolsOf: (s: number) => Symbols,
): Grid {
  const nRows = geometry.rows + 1;
  const axis = symbolsOf(0)[1];
  const cells = Array.from({ length: nRows }, () => [
    axis,
    ...new Array<string>(nColumns - 1).fill(" "),
  ]);
  const owners = cells.map((row) => row.map(() => -1));
  const set = (r: number, c: number, ch: string, s: number): void => {
    cells[r][c] = ch;
    owners[r][c] = s;
  };

  series.forEach((s, k) => {
    const symbols = symbolsOf(k);
    const normalised = s.values.map((v) => normalise(v, geometry));
    // Clamped because a mean of values equal to 1 may land an ulp above.
    const values = resample(normalised, positions, nColumns).map(clamp01);
    for (const [a, b] of finiteRuns(values)) {
      // A run's first point has no incoming segment: mark it in the column
      // before (the axis cell for point 0), as asciichart does.
      const start = a === 0 ? symbols[0] : symbols[2];
      set(rowOf(values[a], geometry), a, start, k);
      if (b === a) continue;
      const plotted = asciichart
        .plot(values.slice(a, b + 1), {
          min: 0,
          max: 1,
          height: geometry.rows,
          offset: 1,
          format: () => " ",
          symbols,
        })
        .split("\n");
      plotted.forEach((line, r) => {
        // Cell 0 is asciichart's own axis; cell 1 + x is segment x.
        Array.from(line)
          .slice(1, 1 + b - a)
          .forEach((ch, x) => {
            if (ch !== " ") set(r, a + 1 + x, ch, k);
          });
      });
    }
  });
  return { cells, owners };
}

/** Inclusive [first, last] index pairs of the runs of finite values. */
function finiteRuns(values: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  values.forEach((v, i) => {
    if (Number.isFinite(v) && start < 0) start = i;
    if (!Number.isFinite(v) && start >= 0) {
      runs.push([start, i - 1]);
      start = -1;
    }
  });
  if (start >= 0) runs.push([start, values.length - 1]);
  return runs;
}

/**
 * The x labels centred under their points, `axisAt` being the axis column.
 * Every k-th label is kept, with the smallest k that leaves a space between
 * neighbours.
 */
function xLabelLine(
  xLabels: readonly string[],
  positions: readonly number[],
  axisAt: number,
  width: number,
): string {
  const texts = xLabels.map((t) => truncate(t, MAX_X_LABEL_WIDTH));
  for (let k = 1; k <= texts.length; k++) {
    let line = "";
    let fits = true;
    for (let i = 0; i < texts.length && fits; i += k) {
      const len = Array.from(texts[i]).length;
      const centre = axisAt + positions[i];
      const start = Math.max(0, Math.min(centre - (len >> 1), width - len));
      const gap = line === "" ? 0 : 1;
      fits = start >= Array.from(line).length + gap;
      if (fits) line = pad(line, start) + texts[i];
    }
    if (fits) return line;
  }
  return "";
}

/** The legend: each series' horizontal glyph twice, then its name. */
function legendLine(
  series: readonly LineSeries[],
  symbolsOf: (s: number) => Symbols,
  width: number,
  color: boolean,
): string {
  const keys = series.map((s, k) => {
    const key = paint(symbolsOf(k)[4].repeat(2), colorOf(k), color);
    return `${key} ${truncate(s.name, width - 3)}`;
  });
  return joinFitting(keys, width);
}

/** The plot rows: right-aligned y label, a space, then the grid cells. */
function plotLines(
  grid: Grid,
  ticks: readonly string[],
  tickW: number,
  color: boolean,
): string[] {
  return grid.cells.map((row, r) => {
    const body = row
      .map((ch, c) => {
        const owner = grid.owners[r][c];
        return owner < 0 ? ch : paint(ch, colorOf(owner), color);
      })
      .join("");
    return `${pad(ticks[r], tickW, "right")} ${body}`.trimEnd();
  });
}

function clamp01(x: number): number {
  return Math.min(Math.max(x, 0), 1);
}

function colorOf(series: number): string {
  return SERIES_COLORS[series % SERIES_COLORS.length];
}
