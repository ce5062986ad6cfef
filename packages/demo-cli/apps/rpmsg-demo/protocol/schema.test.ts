import { describe, expect, it } from "vitest";
import { CTRL_SCHEMA } from "./ctrl-schema.ts";
import { LINK_DEFAULTS, MAX_PAYLOAD_BYTES, PERIOD_RANGE_MS } from "./limits.ts";
import { CTRL_REQUEST, isCtrlRequest } from "./platform-control.ts";
import { STATUS_SCHEMA } from "./status-schema.ts";

describe("the protocol schemas", () => {
  it("are plain data that a generator for another language can read as JSON", () => {
    for (const schema of [STATUS_SCHEMA, CTRL_SCHEMA]) expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it("take the budget and the period range from the one set of limits", () => {
    expect(STATUS_SCHEMA.maxBytes).toBe(MAX_PAYLOAD_BYTES);
    expect(CTRL_SCHEMA.maxBytes).toBe(MAX_PAYLOAD_BYTES);
    expect(MAX_PAYLOAD_BYTES).toBe(496);
    const ms = CTRL_SCHEMA.commands.find((c) => c.cmd === "period")?.args[0];
    expect(ms).toMatchObject({ min: PERIOD_RANGE_MS.min, max: PERIOD_RANGE_MS.max });
    expect(LINK_DEFAULTS).toEqual({ shmId: "rpmsg-shm", port: 0xa });
  });

  it("have unique keys, the required ones first as the reference lists them", () => {
    const keys = STATUS_SCHEMA.fields.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(STATUS_SCHEMA.fields.filter((f) => f.required).map((f) => f.key)).toEqual(["v", "seq", "boot", "t"]);
    expect(STATUS_SCHEMA.fields.filter((f) => "fit" in f).map((f) => f.key)).toEqual(["thr"]);
  });
});

describe("isCtrlRequest", () => {
  it.each([
    [{ type: CTRL_REQUEST, id: 1, command: { cmd: "ping" } }, true],
    [{ type: CTRL_REQUEST, id: 2, command: { cmd: "period", ms: 500 }, timeoutMs: 100 }, true],
    [{ type: CTRL_REQUEST, id: 2, command: { cmd: "period" } }, false],
    [{ type: CTRL_REQUEST, id: 3, command: { cmd: "reboot" } }, false],
    [{ type: CTRL_REQUEST, id: "4", command: { cmd: "ping" } }, false],
    [{ type: CTRL_REQUEST, id: 5, command: { cmd: "ping" }, timeoutMs: -1 }, false],
    [{ type: "linux.read-file", id: 6 }, false],
    ["ping", false],
    [null, false],
  ])("%j -> %s", (message, ok) => {
    expect(isCtrlRequest(message)).toBe(ok);
  });
});
