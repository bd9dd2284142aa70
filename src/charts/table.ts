/** Plain-text tables, plus the width and number helpers every chart shares. */

/** One column of {@link formatTable}. */
export interface TableColumn {
  header: string;
  /** default "left"; numbers read best right-aligned */
  align?: "left" | "right";
}

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** spaces between columns; default 2 */
  gap?: number;
  /**
   * Total width in columns; trailing columns that do not fit are left out
   * and a note says how many. Default: no limit.
   */
  width?: number;
  /** Rows shown before a "more rows" note; default: all. */
  maxRows?: number;
  /** Draw the header rule with "-" instead of "─"; default false. */
  ascii?: boolean;
}

/** Printed in place of a chart with nothing to draw. */
export const NO_DATA = "(no data)";

// CSI sequences, which include the SGR colour codes the charts emit.
const ANSI_PATTERN = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const ELLIPSIS = "…";

/**
 * Number of terminal columns `text` takes, ignoring ANSI escape codes.
 *
 * Counts one column per code point.
 */
export function visibleWidth(text: string): number {
  // TODO(when labels may hold CJK or emoji): count East Asian wide
  // characters as two columns, or lines holding them will misalign.
  return Array.from(text.replace(ANSI_PATTERN, "")).length;
}

/**
 * Cut plain `text` to at most `width` columns, ending in "…" when cut.
 *
 * Expects text without ANSI codes: colour is applied after fitting.
 */
export function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 0) return "";
  return chars.slice(0, width - 1).join("") + ELLIPSIS;
}

/**
 * Pad `text` with spaces to `width` visible columns, on the right for "left"
 * and on the left for "right"; wider text is returned unchanged.
 */
export function pad(
  text: string,
  width: number,
  align: "left" | "right" = "left",
): string {
  const fill = " ".repeat(Math.max(0, width - visibleWidth(text)));
  return align === "left" ? text + fill : fill + text;
}

/**
 * Joins entries with two spaces into as many lines as needed, each at most
 * `width` columns (measured without ANSI codes), so that no entry is
 * dropped; an entry wider than `width` stands on a line of its own (the
 * caller truncates entries to the width first).
 */
export function joinFitting(entries: readonly string[], width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const entry of entries) {
    const next = line === "" ? entry : `${line}  ${entry}`;
    if (line !== "" && visibleWidth(next) > width) {
      lines.push(line);
      line = entry;
    } else {
      line = next;
    }
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}

/**
 * Format `x` with `digits` fixed decimals; "nan", "inf" and "-inf" for the
 * non-finite values.
 *
 * A value that rounds to zero prints unsigned ("0.00", not "-0.00"), so a
 * sign column appears only when a printed number is negative. When
 * `maxWidth` is given and the fixed form is wider, exponent notation with as
 * many digits as fit is used instead (it may still exceed a `maxWidth` under
 * 7 for huge values). From 1e21 on, exponent notation is always used.
 *
 * @throws RangeError if `digits` is not an integer in [0, 20].
 */
export function formatNumber(
  x: number,
  digits: number,
  maxWidth?: number,
): string {
  checkDigits(digits);
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";

  // toFixed itself turns to exponent notation, without `digits`, at 1e21.
  let text = Math.abs(x) < 1e21 ? x.toFixed(digits) : x.toExponential(digits);
  if (/^-[0.]*$/.test(text)) text = text.slice(1);
  if (maxWidth === undefined || text.length <= maxWidth) return text;
  for (let d = digits; d > 0; d--) {
    const exp = x.toExponential(d);
    if (exp.length <= maxWidth) return exp;
  }
  return x.toExponential(0);
}

/** Throws unless `digits` is a valid `toFixed` argument for this module. */
export function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new RangeError(`digits must be an integer in [0, 20], got ${digits}`);
  }
}

/**
 * Throws unless `width` is an integer of at least `least` columns; `name` is
 * the option's name in the message.
 */
export function checkWidth(width: number, least: number, name = "width"): void {
  if (!Number.isInteger(width) || width < least) {
    throw new RangeError(
      `${name} must be an integer >= ${least}, got ${width}`,
    );
  }
}

/**
 * Lay out `rows` under `columns` as aligned text: a header line, a rule, one
 * line per row, then notes for any rows or columns left out.
 *
 * Column widths come from the widest cell (ANSI codes not counted), so cells
 * may be pre-coloured. Lines end without trailing spaces.
 *
 * @param rows - nRows x nColumns cells; every row as long as `columns`.
 * @returns the table, lines joined with "\n", no final newline.
 * @throws RangeError if a row has the wrong length or an option is out of
 *   range.
 */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const { gap = 2, width, maxRows, ascii = false } = options;
  checkTable(columns, rows, gap, width, maxRows);

  const widths = columns.map((column, j) =>
    rows.reduce(
      (w, row) => Math.max(w, visibleWidth(row[j])),
      visibleWidth(column.header),
    ),
  );
  const nShown =
    width === undefined ? columns.length : fitColumns(widths, gap, width);
  const shownRows = maxRows === undefined ? rows : rows.slice(0, maxRows);

  const line = (cells: readonly string[]): string =>
    cells
      .slice(0, nShown)
      .map((cell, j) => pad(cell, widths[j], columns[j].align))
      .join(" ".repeat(gap))
      .trimEnd();
  const rule = widths.map((w) => (ascii ? "-" : "─").repeat(w));
  const lines = [line(columns.map((c) => c.header)), line(rule)];
  for (const row of shownRows) lines.push(line(row));

  if (shownRows.length < rows.length) {
    lines.push(plural(rows.length - shownRows.length, "more row"));
  }
  if (nShown < columns.length) {
    lines.push(plural(columns.length - nShown, "more column"));
  }
  return lines.join("\n");
}

/** The number of leading columns that fit in `width`, at least one. */
function fitColumns(
  widths: readonly number[],
  gap: number,
  width: number,
): number {
  let used = widths[0];
  let j = 1;
  while (j < widths.length && used + gap + widths[j] <= width) {
    used += gap + widths[j];
    j++;
  }
  return j;
}

function checkTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  gap: number,
  width: number | undefined,
  maxRows: number | undefined,
): void {
  if (columns.length === 0) {
    throw new RangeError("columns must not be empty, got 0 columns");
  }
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new RangeError(
        `rows[${i}] must have ${columns.length} cells, got ${row.length}`,
      );
    }
  });
  if (!Number.isInteger(gap) || gap < 1) {
    throw new RangeError(`gap must be an integer >= 1, got ${gap}`);
  }
  if (width !== undefined) checkWidth(width, 1);
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 0)) {
    throw new RangeError(`maxRows must be an integer >= 0, got ${maxRows}`);
  }
}

/** "(3 more rows)" / "(1 more row)" */
function plural(n: number, noun: string): string {
  return `(${n} ${noun}${n === 1 ? "" : "s"})`;
}

/** ANSI SGR codes the charts colour with. */
export const ANSI = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  blue: "\x1b[34m",
  magenta: "\x1b[35m",
  cyan: "\x1b[36m",
} as const;

/**
 * Wrap `text` in the SGR `code` when `color` is on; otherwise return it as
 * is, so callers need no branch of their own.
 */
export function paint(text: string, code: string, color: boolean): string {
  return color && text !== "" ? code + text + ANSI.reset : text;
}

/**
 * Break plain `text` into lines of at most `width` columns at spaces; a
 * word longer than `width` is cut with "…". Runs of spaces collapse to one.
 * Empty text gives one empty line.
 *
 * @throws RangeError if `width` is not an integer >= 1.
 */
export function wrapText(text: string, width: number): string[] {
  checkWidth(width, 1);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const fitted = truncate(word, width);
    const next = line === "" ? fitted : `${line} ${fitted}`;
    if (visibleWidth(next) <= width) {
      line = next;
    } else {
      lines.push(line);
      line = fitted;
    }
  }
  lines.push(line);
  return lines;
}
