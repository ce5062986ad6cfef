import { describe, expect, it } from "vitest";
import { Batched } from "./_batched.ts";

/** A task whose runs finish when the test says so; each run returns its number. */
function controlled() {
  const finish: Array<() => void> = [];
  let runs = 0;
  const task = (key: string) => {
    const n = ++runs;
    return new Promise<string>((resolve) => finish.push(() => resolve(`${key}#${n}`)));
  };
  return { task, finish, runs: () => runs };
}

describe("Batched", () => {
  it("gives callers that arrive during a run the next run, started after it ends, and shares it", async () => {
    const c = controlled();
    const batched = new Batched(c.task);
    const first = batched.get("a");
    const late1 = batched.get("a");
    const late2 = batched.get("a");
    expect(c.runs()).toBe(1);
    c.finish.shift()?.();
    expect(await first).toBe("a#1");
    await new Promise((resolve) => setImmediate(resolve));
    expect(c.runs()).toBe(2); // the next run started only now
    c.finish.shift()?.();
    expect(await Promise.all([late1, late2])).toEqual(["a#2", "a#2"]);
    const after = batched.get("a");
    expect(c.runs()).toBe(3);
    c.finish.shift()?.();
    expect(await after).toBe("a#3");
  });

  it("runs keys independently and recovers after a failed run", async () => {
    let n = 0;
    const batched = new Batched(async (key: string) => {
      n++;
      if (key === "bad" && n === 1) throw new Error("boom");
      return key;
    });
    await expect(batched.get("bad")).rejects.toThrow("boom");
    expect(await batched.get("bad")).toBe("bad");
    expect(await Promise.all([batched.get("x"), batched.get("y")])).toEqual(["x", "y"]);
  });
});
