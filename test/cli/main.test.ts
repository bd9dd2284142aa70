import { describe, expect, it } from "vitest";
import { isUserError } from "../../src/cli/main.js";
import { MIN_COLUMNS, terminalColumns, UsageError } from "../../src/cli/io.js";
import { DataError } from "../../src/errors.js";
import { runCli } from "./helpers.js";

describe("wasmlearn main", () => {
  it("draws at the terminal's width, never below MIN_COLUMNS; 80 when piped", () => {
    expect(terminalColumns({ isTTY: true, columns: 132 })).toBe(132);
    expect(terminalColumns({ isTTY: true, columns: 10 })).toBe(MIN_COLUMNS);
    expect(terminalColumns({ isTTY: true, columns: 1 })).toBe(MIN_COLUMNS);
    expect(terminalColumns({ isTTY: false, columns: 132 })).toBe(80);
    expect(terminalColumns({})).toBe(80);
  });

  it("every command draws its results at the narrowest width", async () => {
    const { main } = await import("../../src/cli/main.js");
    for (const argv of [
      ["fusion"],
      ["overview"],
      ["federated", "--rounds", "2"],
    ]) {
      let out = "";
      const code = await main(argv, {
        stdout: (t) => void (out += t),
        stderr: () => {},
        columns: MIN_COLUMNS,
        color: false,
        stderrIsTTY: false,
      });
      expect(code, argv.join(" ")).toBe(0);
      expect(out.length).toBeGreaterThan(100);
    }
  });

  it("tells user errors (exit 1) from bugs (exit 2)", () => {
    expect(isUserError(new UsageError("--x must be y"))).toBe(true);
    expect(isUserError(new DataError("a.csv line 3 must have 2 cells"))).toBe(
      true,
    );
    expect(
      isUserError(new RangeError("C must be a finite number > 0, got 0")),
    ).toBe(true);
    // what V8 throws for a bug in wasmlearn itself
    let engine: unknown;
    try {
      (undefined as unknown as { x: number }).x;
    } catch (err) {
      engine = err;
    }
    expect(isUserError(engine)).toBe(false);
    expect(isUserError(new RangeError("Invalid array length"))).toBe(false);
    expect(
      isUserError(
        new RangeError("toFixed() digits argument must be between 0 and 100"),
      ),
    ).toBe(false);
    expect(
      isUserError(new TypeError("Reduce of empty array with no initial value")),
    ).toBe(false);
    const nodeError = Object.assign(
      new TypeError('The "path" argument must be of type string'),
      { code: "ERR_INVALID_ARG_TYPE" },
    );
    expect(isUserError(nodeError)).toBe(false);
    expect(isUserError(new Error("something else"))).toBe(false);
  });

  it("prints the version and lists the commands", async () => {
    expect((await runCli(["--version"])).stdout).toBe("0.1.0\n");
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/fusion \[options\]/);
    expect(help.stdout).toMatch(/bench \[options\] \[kernel\.\.\.\]/);
  });

  it("rejects an unknown command, suggesting the nearest one", async () => {
    const r = await runCli(["fuse"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "error: unknown command 'fuse'\n(Did you mean fusion?)\n",
    );
  });
});
