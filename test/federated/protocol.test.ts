import { describe, expect, it } from "vitest";
import {
  parseClientMessage,
  ProtocolError,
} from "../../src/federated/protocol.js";

const metrics = (fields: Record<string, unknown>) =>
  JSON.stringify({
    type: "metrics",
    id: 1,
    round: 1,
    nSamples: 50,
    lossSum: 20,
    correct: 40,
    ...fields,
  });

describe("parseClientMessage", () => {
  it("accepts metrics that sums over the client's samples can give", () => {
    expect(parseClientMessage(metrics({}))).toMatchObject({ correct: 40 });
    expect(
      parseClientMessage(metrics({ correct: 50, lossSum: 0 })),
    ).toMatchObject({
      correct: 50,
    });
  });

  it("rejects impossible metrics, naming the field", () => {
    for (const [fields, message] of [
      [
        { correct: 1e9 },
        /metrics\.correct must be at most nSamples \(50\), got 1000000000/,
      ],
      [{ lossSum: -1e308 }, /metrics\.lossSum must be >= 0, got -1e\+308/],
      [{ lossSum: Infinity }, /metrics\.lossSum must be a finite number/],
      [{ correct: -1 }, /metrics\.correct must be an integer >= 0/],
      [{ nSamples: 2.5 }, /metrics\.nSamples must be an integer >= 0/],
    ] as const) {
      expect(() => parseClientMessage(metrics(fields))).toThrow(ProtocolError);
      expect(() => parseClientMessage(metrics(fields))).toThrow(message);
    }
  });

  it("rejects what is not a message", () => {
    expect(() => parseClientMessage("{oops")).toThrow(/must be JSON/);
    expect(() => parseClientMessage("[1]")).toThrow(/must be an object/);
    expect(() => parseClientMessage('{"type":"rows"}')).toThrow(
      /message\.type must be one of hello, update, metrics, forest, error/,
    );
  });
});
