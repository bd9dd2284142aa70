import { describe, expect, it } from "vitest";
import type { Label } from "../../src/data/dataset.js";
import { checkLabelCount, encodeLabels } from "../../src/data/labels.js";
import { DataError } from "../../src/errors.js";

describe("encodeLabels", () => {
  it("sorts numbers ascending and maps each sample to its class", () => {
    const { classes, indices } = encodeLabels([10, -1, 2, 10, 2.5, -1]);
    expect(classes).toEqual([-1, 2, 2.5, 10]);
    expect(Array.from(indices)).toEqual([3, 0, 1, 3, 2, 0]);
  });

  it("sorts strings by code point, as numpy.unique does", () => {
    // numpy.unique(["b", "B", "a", "é", "\uff01", "😀", "a"]) gives
    // ['B', 'a', 'b', 'é', '！', '😀']: the emoji (U+1F600) comes after
    // U+FF01, although its first UTF-16 unit (0xD83D) is smaller.
    const y = ["b", "B", "a", "é", "\uff01", "😀", "a"];
    const { classes, indices } = encodeLabels(y);
    expect(classes).toEqual(["B", "a", "b", "é", "\uff01", "😀"]);
    expect(Array.from(indices)).toEqual([2, 0, 1, 3, 4, 5, 1]);
  });

  it("orders a prefix before the longer string", () => {
    expect(encodeLabels(["ab", "a", "abc"]).classes).toEqual([
      "a",
      "ab",
      "abc",
    ]);
  });

  it("treats -0 and 0 as one class", () => {
    const { classes, indices } = encodeLabels([0, -0, 1]);
    expect(classes).toHaveLength(2);
    expect(Array.from(indices)).toEqual([0, 0, 1]);
  });

  it("round-trips: classes[indices[i]] is y[i]", () => {
    const y = ["dog", "cat", "bird", "cat", "dog", "dog"];
    const { classes, indices } = encodeLabels(y);
    expect(Array.from(indices, (k) => classes[k])).toEqual(y);
  });

  it("returns no classes for an empty y", () => {
    const { classes, indices } = encodeLabels([]);
    expect(classes).toEqual([]);
    expect(indices).toHaveLength(0);
  });

  it("does not modify y", () => {
    const y = [3, 1, 2];
    encodeLabels(y);
    expect(y).toEqual([3, 1, 2]);
  });

  describe("errors", () => {
    const cases: [string, unknown, string][] = [
      [
        "numbers mixed with strings",
        [1, 2, "a"],
        "y must hold only numbers or only strings, got 1 at index 0 and " +
          '"a" at index 2',
      ],
      ["NaN", [1, NaN], "y[1] must be a finite number or a string, got NaN"],
      [
        "Infinity",
        [Infinity],
        "y[0] must be a finite number or a string, got Infinity",
      ],
      ["null", ["a", null], "y[1] must be a number or a string, got null"],
      ["a boolean", [true], "y[0] must be a number or a string, got true"],
      ["a string", "abc", 'y must be an array of labels, got "abc"'],
    ];
    for (const [what, y, message] of cases) {
      it(`when y holds ${what} then throws a TypeError`, () => {
        const f = () => encodeLabels(y as Label[]);
        expect(f).toThrow(TypeError);
        expect(f).toThrow(message);
      });
    }

    it("names the parameter it is given", () => {
      expect(() => encodeLabels([NaN], "yTrain")).toThrow(
        "yTrain[0] must be a finite number or a string, got NaN",
      );
    });
  });
});

describe("checkLabelCount", () => {
  it("accepts one label per sample", () => {
    expect(() => checkLabelCount([1, 2, 3], 3)).not.toThrow();
  });

  it("when the counts differ then throws a DataError", () => {
    const f = () => checkLabelCount(new Int32Array(2), 3, "stratify");
    expect(f).toThrow(DataError);
    expect(f).toThrow("stratify must have one label per sample (3), got 2");
  });
});
