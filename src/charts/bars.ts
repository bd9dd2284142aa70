/**
 * Horizontal bar charts: one bar per item, or several per group.
 *
 * Bars grow from an origin. It is 0 when the scale spans zero (a "│" axis is
 * drawn there and negative bars go left of it); otherwise it is the end of
 * the scale nearest zero, so a baseline such as `min: 0.5` makes bars start
 * at 0.5 and all-negative data grows leftwards from 0 at the right edge.
 * Values outside the scale are clamped to it; the printed value stays exact.
 * A line under the bars prints the scale's ends, so a baseline is never
 * mistaken for zero.
 */
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
  visibleWidth,
} from "./table.js";

/** One bar of {@link barChart}. */
export interface BarItem {
  label: string;
  value: number;
}

/** One group of {@link groupedBarChart}: a value per series. */
export interface BarGroup {
  label: string;
  /** one value per series, in the order of `seriesNames` */
  values: readonly number[];
}

/**
 * Bars to mark: an item index, every item equal to the largest or smallest
 * finite value, or every item the predicate accepts.
 */
export type Highlight =
  number | "max" | "min" | ((item: BarItem, index: number) => boolean);

/** Options of {@link groupedBarChart}; {@link barChart} adds `highlight`. */
export interface BarChartOptions {
  /** total width in columns, at least 20; default 80 */
  width?: number;
  /**
   * Scale start. Default: 0 for non-negative data, else the smallest value.
   * Set it to a baseline (chance level) to make close values distinct.
   */
  min?: number;
  /** Scale end. Default: the largest value, or 0 if all are negative. */
  max?: number;
  /** decimals of the printed values; default 4 */
  digits?: number;
  /** first line of the chart */
  title?: string;
  /** appended after a space to every printed value, e.g. "ms" */
  unit?: string;
  /** ANSI colours; default false (the caller checks TTY and NO_COLOR) */
  color?: boolean;
  /** "#"-style glyphs only, for terminals without Unicode; default false */
  ascii?: boolean;
}

/** Options of {@link barChart}. */
export interface SingleBarChartOptions extends BarChartOptions {
  /** bars to mark with "◀" ("<" in ASCII), e.g. "max" for the best score */
  highlight?: Highlight;
}

const MIN_WIDTH = 20;
// Widest printed value before exponent notation takes over.
const MAX_VALUE_WIDTH = 12;
// Left-aligned eighth blocks: index k is k/8 of a cell.
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
const RIGHT_HALF = "▐";
const UNICODE_GLYPHS = ["█", "▓", "▒", "░"];
const ASCII_GLYPHS = ["#", "=", "+", ":"];
const SERIES_COLORS = [ANSI.cyan, ANSI.magenta, ANSI.yellow, ANSI.blue];

/** Where bars start and end; `origin` is where each bar grows from. */
interface Scale {
  lo: number;
  hi: number;
  origin: number;
}

/** One line of bars; `series` picks glyph and colour. */
interface BarRow {
  label: string;
  value: number;
  series: number;
  marked: boolean;
}

interface Resolved {
  width: number;
  digits: number;
  unit: string;
  color: boolean;
  ascii: boolean;
  marks: boolean;
}

/**
 * Draw one horizontal bar per item: label, bar, value.
 *
 * NaN and ±Infinity print "n/a" with no bar and add a note line; labels
 * wider than their column end in "…"; an empty list gives "(no data)".
 * Equal values all get the same bar (full width unless they equal the
 * origin), never a division by zero.
 *
 * @returns lines joined with "\n", each at most `width` columns (ANSI codes
 *   not counted); no final newline.
 * @throws TypeError if a label is not a string or a value not a number.
 * @throws RangeError if an option is out of range, `highlight` is not an
 *   item index, or `width` leaves no room for the bars.
 */
export function barChart(
  items: readonly BarItem[],
  options: SingleBarChartOptions = {},
): string {
  items.forEach((item, i) => checkItem(item.label, item.value, `items[${i}]`));
  const resolved = resolveOptions(options, options.highlight !== undefined);
  if (items.length === 0) return noData(options.title, resolved.width);

  const marked = markedItems(items, options.highlight);
  const rows = items.map((item, i) => ({
    label: item.label,
    value: item.value,
    series: 0,
    marked: marked[i],
  }));
  const values = items.map((item) => item.value);
  const scale = resolveScale(values, options.min, options.max);
  const head = header(options.title, resolved.width, []);
  return renderBars(rows, scale, resolved, head);
}

/**
 * Draw grouped horizontal bars, one per series within each group, with a
 * legend; e.g. logistic vs forest accuracy per fusion method.
 *
 * Series differ by glyph ("█ ▓ ▒ ░", or "# = + :" in ASCII, repeating after
 * four) and, with `color`, by colour. Only the first series' "█" bars have
 * eighth-cell resolution; the shaded glyphs round to whole cells. Edge cases
 * behave as in {@link barChart}; groups are separated by a blank line.
 *
 * @param groups - one entry per group, each with `seriesNames.length` values.
 * @returns lines joined with "\n", each at most `width` columns.
 * @throws TypeError if a label is not a string or a value not a number.
 * @throws RangeError if a group has the wrong number of values, there are no
 *   series, or an option is out of range.
 */
export function groupedBarChart(
  groups: readonly BarGroup[],
  seriesNames: readonly string[],
  options: BarChartOptions = {},
): string {
  checkGroups(groups, seriesNames);
  const resolved = resolveOptions(options, false);
  if (groups.length === 0) return noData(options.title, resolved.width);

  const rows: (BarRow | null)[] = [];
  groups.forEach((group, g) => {
    if (g > 0) rows.push(null);
    group.values.forEach((value, s) =>
      rows.push({
        label: s === 0 ? group.label : "",
        value,
        series: s,
        marked: false,
      }),
    );
  });
  const values = groups.flatMap((group) => group.values);
  const scale = resolveScale(values, options.min, options.max);
  const keys = seriesNames.map((name, s) => {
    const fitted = truncate(name, resolved.width - 2);
    return `${glyphOf(s, resolved)} ${fitted}`;
  });
  const legend = joinFitting(keys, resolved.width);
  const head = header(options.title, resolved.width, [legend]);
  return renderBars(rows, scale, resolved, head);
}

function checkItem(label: unknown, value: unknown, name: string): void {
  if (typeof label !== "string") {
    throw new TypeError(`${name}.label must be a string, got ${typeof label}`);
  }
  if (typeof value !== "number") {
    throw new TypeError(`${name}.value must be a number, got ${typeof value}`);
  }
}

function checkGroups(
  groups: readonly BarGroup[],
  seriesNames: readonly string[],
): void {
  if (seriesNames.length === 0) {
    throw new RangeError("seriesNames must not be empty, got 0 names");
  }
  groups.forEach((group, g) => {
    if (group.values.length !== seriesNames.length) {
      throw new RangeError(
        `groups[${g}].values must have ${seriesNames.length} entries ` +
          `(one per series), got ${group.values.length}`,
      );
    }
    group.values.forEach((value, s) =>
      checkItem(group.label, value, `groups[${g}].values[${s}]`),
    );
  });
}

function resolveOptions(options: BarChartOptions, marks: boolean): Resolved {
  const { width = 80, digits = 4, unit = "" } = options;
  checkWidth(width, MIN_WIDTH);
  checkDigits(digits);
  for (const name of ["min", "max"] as const) {
    const bound = options[name];
    if (bound !== undefined && !Number.isFinite(bound)) {
      throw new RangeError(`${name} must be finite, got ${bound}`);
    }
  }
  const { min, max } = options;
  if (min !== undefined && max !== undefined && !(min < max)) {
    throw new RangeError(`max must be greater than min ${min}, got ${max}`);
  }
  const color = options.color ?? false;
  return { width, digits, unit, color, ascii: options.ascii ?? false, marks };
}

/** One flag per item: whether `highlight` selects it. */
function markedItems(
  items: readonly BarItem[],
  highlight: Highlight | undefined,
): boolean[] {
  if (highlight === undefined) return items.map(() => false);
  if (typeof highlight === "function") return items.map(highlight);
  if (typeof highlight === "number") {
    const valid = Number.isInteger(highlight) && highlight >= 0;
    if (!valid || highlight >= items.length) {
      throw new RangeError(
        `highlight must be an item index in [0, ${items.length - 1}], ` +
          `got ${highlight}`,
      );
    }
    return items.map((_, i) => i === highlight);
  }

  // Ties all count as best; a non-finite value never does.
  const finite = items.map((it) => it.value).filter(Number.isFinite);
  const best = highlight === "max" ? Math.max(...finite) : Math.min(...finite);
  return items.map((item) => Number.isFinite(best) && item.value === best);
}

/** The scale of {@link BarChartOptions.min} and `max`, never zero-length. */
function resolveScale(
  values: readonly number[],
  min: number | undefined,
  max: number | undefined,
): Scale {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { lo: 0, hi: 1, origin: 0 };

  const lo = min ?? Math.min(0, ...finite);
  // Data wholly below an explicit min gives hi = lo; every bar is then empty.
  const top = max ?? Math.max(...finite, min === undefined ? 0 : lo);
  const hi = Math.max(top, lo);
  const origin = lo >= 0 ? lo : hi <= 0 ? hi : 0;
  return { lo, hi, origin };
}

/** Title and legend lines, if any. */
/** The title, cut to width, then `extra` lines already fitted by the caller. */
function header(
  title: string | undefined,
  width: number,
  extra: readonly string[],
): string[] {
  return title === undefined ? [...extra] : [truncate(title, width), ...extra];
}

function noData(title: string | undefined, width: number): string {
  return header(title, width, [NO_DATA]).join("\n");
}

/** Lay out label, bar and value columns; `null` rows are blank lines. */
function renderBars(
  rows: readonly (BarRow | null)[],
  scale: Scale,
  opts: Resolved,
  head: readonly string[],
): string {
  const real = rows.filter((row): row is BarRow => row !== null);
  const texts = real.map((row) => valueText(row.value, opts));
  const valueW = Math.max(...texts.map(visibleWidth));
  const markW = opts.marks ? 2 : 0;

  // Column budget: label, space, bar, space, value, mark.
  const rest = opts.width - valueW - markW - 2;
  const longest = Math.max(...real.map((row) => visibleWidth(row.label)));
  const labelW = Math.min(longest, Math.max(1, Math.floor(rest * 0.4)));
  const barW = rest - labelW;
  if (barW < 2) {
    throw new RangeError(
      `width must be at least ${opts.width - barW + 2} for these values, ` +
        `got ${opts.width}`,
    );
  }

  // Bar lines, then the scale and a note on values that could not be drawn.
  const lines = [...head];
  let k = 0;
  for (const row of rows) {
    if (row === null) {
      lines.push("");
      continue;
    }
    const label = pad(truncate(row.label, labelW), labelW);
    const bar = drawBar(row, scale, barW, opts);
    const value = pad(texts[k++], valueW, "right");
    const mark = row.marked ? (opts.ascii ? " <" : " ◀") : "";
    lines.push(`${label} ${bar} ${value}${mark}`.trimEnd());
  }
  if (real.some((row) => Number.isFinite(row.value))) {
    lines.push(" ".repeat(labelW + 1) + scaleLine(scale, barW, opts));
  }
  const nMissing = real.filter((row) => !Number.isFinite(row.value)).length;
  if (nMissing > 0) {
    const what = nMissing === 1 ? "1 value is" : `${nMissing} values are`;
    const note = `n/a: ${what} NaN or infinite and not drawn`;
    lines.push(paint(truncate(note, opts.width), ANSI.dim, opts.color));
  }
  return lines.join("\n");
}

function valueText(value: number, opts: Resolved): string {
  if (!Number.isFinite(value)) return paint("n/a", ANSI.dim, opts.color);
  const text = formatNumber(value, opts.digits, MAX_VALUE_WIDTH);
  return opts.unit === "" ? text : `${text} ${opts.unit}`;
}

/** The fill character of `series`, uncoloured. */
function glyphChar(series: number, ascii: boolean): string {
  const glyphs = ascii ? ASCII_GLYPHS : UNICODE_GLYPHS;
  return glyphs[series % glyphs.length];
}

/** The legend key of `series`. */
function glyphOf(series: number, opts: Resolved): string {
  const glyph = glyphChar(series, opts.ascii);
  return paint(glyph, colorOf(series, false), opts.color);
}

function colorOf(series: number, marked: boolean): string {
  return marked ? ANSI.green : SERIES_COLORS[series % SERIES_COLORS.length];
}

/**
 * The `barW` cells of one bar. When the scale spans zero, one cell is the
 * axis and the cells either side hold negative and positive bars.
 */
function drawBar(
  row: BarRow,
  scale: Scale,
  barW: number,
  opts: Resolved,
): string {
  const { lo, hi, origin } = scale;
  const glyph = glyphChar(row.series, opts.ascii);
  const fine = !opts.ascii && glyph === "█";
  const color = colorOf(row.series, row.marked);
  const paintBar = (text: string): string => paint(text, color, opts.color);
  const v = Number.isFinite(row.value) ? clamp(row.value, lo, hi) : origin;

  if (origin > lo && origin < hi) {
    const negW = axisColumn(scale, barW);
    const posW = barW - 1 - negW;
    const left = v < origin ? fraction(v, origin, lo) * negW : 0;
    const right = v > origin ? fraction(v, origin, hi) * posW : 0;
    const axis = opts.ascii ? "|" : "│";
    return (
      pad(paintBar(leftBar(left, glyph, fine)), negW, "right") +
      axis +
      pad(paintBar(rightBar(right, glyph, fine)), posW)
    );
  }
  if (origin === hi && origin > lo) {
    const cells = fraction(v, hi, lo) * barW;
    return pad(paintBar(leftBar(cells, glyph, fine)), barW, "right");
  }
  // hi === lo only when all data sit at or below an explicit min.
  const cells = hi > lo ? fraction(v, lo, hi) * barW : 0;
  return pad(paintBar(rightBar(cells, glyph, fine)), barW);
}

/** The axis cell when the scale spans zero: the cells left of it are < 0. */
function axisColumn(scale: Scale, barW: number): number {
  return Math.round(fraction(scale.origin, scale.lo, scale.hi) * (barW - 1));
}

/**
 * (x - from) / (to - from), halving first so that the difference stays
 * finite for any finite arguments (e.g. from = -1e308, to = 1e308).
 */
function fraction(x: number, from: number, to: number): number {
  return (x / 2 - from / 2) / (to / 2 - from / 2);
}

/** A bar of `cells` columns from the left; eighths when `fine`. */
function rightBar(cells: number, glyph: string, fine: boolean): string {
  if (!fine) return glyph.repeat(Math.round(cells));
  const eighths = Math.round(cells * 8);
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/**
 * A bar of `cells` columns ending at the right; halves when `fine`, as
 * Unicode has no right-aligned eighth blocks beyond "▕" and "▐".
 */
function leftBar(cells: number, glyph: string, fine: boolean): string {
  if (!fine) return glyph.repeat(Math.round(cells));
  const halves = Math.round(cells * 2);
  return (halves % 2 === 1 ? RIGHT_HALF : "") + "█".repeat(halves >> 1);
}

/**
 * The scale under the bars: `lo` at the left edge, `hi` at the right, and
 * the origin under the axis when it lies between and has room.
 */
function scaleLine(scale: Scale, barW: number, opts: Resolved): string {
  const { lo, hi, origin } = scale;
  const text = (x: number): string =>
    formatNumber(x, opts.digits, MAX_VALUE_WIDTH);
  const cells: string[] = new Array<string>(barW).fill(" ");
  // Writes `s` from column `at` unless it would touch text already there.
  const put = (s: string, at: number): void => {
    const chars = Array.from(s);
    const start = clamp(at, 0, barW - chars.length);
    const end = start + chars.length;
    const near = cells.slice(Math.max(0, start - 1), end + 1);
    if (start < 0 || near.some((c) => c !== " ")) return;
    chars.forEach((c, i) => (cells[start + i] = c));
  };

  put(text(lo), 0);
  if (hi > lo) put(text(hi) + (opts.unit === "" ? "" : ` ${opts.unit}`), barW);
  if (origin > lo && origin < hi) {
    const zero = text(origin);
    put(zero, axisColumn(scale, barW) - Math.floor(zero.length / 2));
  }
  return cells.join("").trimEnd();
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}
