// The walkthrough of ../README.md ("Adding a field to the status sample"),
// checked: a new row in the field table over a fact the sampler already
// gathers is sent by rpmsg-host's sampler, read back by the validator,
// kept by the history and written to zephyr-status.json with no other
// change; only the page renderer has to learn to show it.
import { VirtualClock } from "@v8r/fvp-core";
import { ZephyrKernel } from "@v8r/zephyr-shim";
import { describe, expect, it } from "vitest";
import { StatusHistory, statusJson } from "../linux-rpmsg-remote/mod.ts";
import { createStatusCodec, parseStatusSample, STATUS_SCHEMA, type StatusSchema } from "../protocol/mod.ts";
import { Sampler } from "../zephyr-rpmsg-host/sampler.ts";

/** STATUS_SCHEMA with the walkthrough's new row: the kernel heap's high-water mark. */
const EXTENDED = {
  ...STATUS_SCHEMA,
  fields: [...STATUS_SCHEMA.fields, { key: "hmax", kind: "uint", from: "heapMaxUsed", required: false, doc: "most kernel heap ever in use, bytes" }],
} as const satisfies StatusSchema;

describe("adding a field to the status sample", () => {
  it("needs no change to the sampler, the validator, the history or the publisher", () => {
    const k = new ZephyrKernel({ clock: new VirtualClock(), write: () => {} });
    const block = k.k_malloc(3000);
    if (block !== null) k.k_free(block);
    const facts = new Sampler(k, undefined, "0badf00d", 1000).facts({ tx: 0, rt: 0, ri: 0, dr: 0, q: 0 });
    const codec = createStatusCodec(EXTENDED);
    const { bytes, sample } = codec.encode(facts);
    expect(sample.hmax).toBeGreaterThanOrEqual(3000);
    expect(new TextDecoder().decode(bytes)).toMatch(/,"per":1000,"hmax":\d+}$/);
    const read = codec.parse(bytes);
    if (!read.ok) throw new Error(read.reason);
    expect(read.sample.hmax).toBe(sample.hmax);
    const history = new StatusHistory();
    history.add(read.sample, 0);
    expect(statusJson(history).latest).toMatchObject({ hmax: sample.hmax });
  });

  it("an older reader still accepts the sample and ignores the new field", () => {
    const k = new ZephyrKernel({ clock: new VirtualClock(), write: () => {} });
    const facts = new Sampler(k, undefined, "0badf00d", 1000).facts({ tx: 0, rt: 0, ri: 0, dr: 0, q: 0 });
    const r = parseStatusSample(createStatusCodec(EXTENDED).encode(facts).bytes);
    expect(r.ok).toBe(true);
    expect(r.ok && "hmax" in r.sample).toBe(false);
  });
});
