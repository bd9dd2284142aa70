import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { visibleWidth } from "../../src/charts/index.js";
import { formatOverview } from "../../src/cli/overview.js";
import { DataError } from "../../src/errors.js";
import { loadOverview, OVERVIEW_URL } from "../../src/overview/data.js";
import { runCli } from "./helpers.js";

const shipped = JSON.parse(readFileSync(OVERVIEW_URL, "utf8"));

describe("wasmlearn overview", () => {
  it("report at width 80 without colour (snapshot), nothing on stderr", async () => {
    const { code, stdout, stderr } = await runCli(["overview"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatchSnapshot();
    for (const line of stdout.split("\n"))
      expect(visibleWidth(line)).toBeLessThanOrEqual(80);
    expect(stdout).not.toMatch(/\x1b\[/);
  });

  it("shows the applications, every chart and the timeline", async () => {
    const { stdout } = await runCli(["overview"]);
    for (const app of shipped.applications) {
      expect(stdout).toContain(app.name.split(" ")[0]);
    }
    for (const { title } of [
      shipped.domainShares,
      shipped.researchTrend,
      shipped.taskAccuracy,
      shipped.challengeDifficulty,
      shipped.timeline,
    ]) {
      expect(stdout).toContain(title);
    }
    expect(stdout).toMatch(/^healthcare +█+ +25\.0 %$/m);
    expect(stdout).toMatch(/^ +2018 +2019 +2020 +2021 +2022 +2023$/m);
    expect(stdout).toMatch(/^2022  diffusion models take off\n      ChatGPT$/m);
  });

  it("--json prints the data file's content and nothing else", async () => {
    const { code, stdout, stderr } = await runCli(["overview", "--json"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout)).toEqual(shipped);
  });

  it("--ascii draws with ASCII only; colour only when allowed", async () => {
    const { stdout } = await runCli(["overview", "--ascii"]);
    expect(stdout).toMatch(/^[\x20-\x7e\n]*$/);
    const look = { width: 80, ascii: false };
    expect(formatOverview(shipped, { ...look, color: true })).toMatch(/\x1b\[/);
    expect(formatOverview(shipped, { ...look, color: false })).not.toMatch(
      /\x1b\[/,
    );
  });

  it("--no-color turns colour off even on a terminal", async () => {
    let out = "";
    const { main } = await import("../../src/cli/main.js");
    const io = {
      stdout: (s: string) => void (out += s),
      stderr: () => {},
      columns: 80,
      color: true,
      stderrIsTTY: true,
    };
    expect(await main(["overview", "--no-color"], io)).toBe(0);
    expect(out).not.toMatch(/\x1b\[/);
    // and every other command takes it too, before or after its options
    for (const argv of [
      ["fusion", "--no-color"],
      ["--no-color", "federated", "--rounds", "2"],
      ["diffusion", "--no-color", "--steps", "10"],
    ]) {
      out = "";
      expect(await main(argv, io), argv.join(" ")).toBe(0);
      expect(out).not.toMatch(/\x1b\[/);
    }
    out = "";
    expect(await main(["fusion"], io)).toBe(0);
    expect(out).toMatch(/\x1b\[/);
  });

  it("fits narrow and wide terminals", () => {
    for (const width of [40, 60, 100]) {
      const text = formatOverview(shipped, {
        width,
        color: false,
        ascii: false,
      });
      for (const line of text.split("\n"))
        expect(visibleWidth(line)).toBeLessThanOrEqual(width);
    }
  });

  it("runs from the compiled CLI, finding data/overview.json", () => {
    const bin = fileURLToPath(
      new URL("../../bin/wasmlearn.js", import.meta.url),
    );
    const r = spawnSync(process.execPath, [bin, "overview", "--json"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(shipped);
  });
});

describe("loadOverview", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasmlearn-overview-"));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("when the file is not JSON then throws DataError", async () => {
    await expect(loadOverview(file("bad.json", "{"))).rejects.toThrow(
      DataError,
    );
  });

  it("when a field is missing or ragged then names it", async () => {
    const noTimeline = { ...shipped, timeline: undefined };
    await expect(
      loadOverview(file("a.json", JSON.stringify(noTimeline))),
    ).rejects.toThrow(
      new DataError("overview data: timeline.events must be an array"),
    );
    const ragged = structuredClone(shipped);
    ragged.researchTrend.series[1].values.pop();
    await expect(
      loadOverview(file("b.json", JSON.stringify(ragged))),
    ).rejects.toThrow(
      new DataError(
        "overview data: researchTrend.series[1] must be a name and 6 values",
      ),
    );
  });
});
