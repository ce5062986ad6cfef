import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as mod from "./mod.ts";

/** Every module reachable from `entry` through relative imports. */
function moduleGraph(entry: URL): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = [entry];
  for (let url = queue.pop(); url !== undefined; url = queue.pop()) {
    if (seen.has(url.href)) continue;
    const text = readFileSync(url, "utf8");
    seen.set(url.href, text);
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) queue.push(new URL(m[1] as string, url));
  }
  return seen;
}

describe("the portable entry (v8r-demo)", () => {
  it("reaches no Node-specific module", () => {
    const graph = moduleGraph(new URL("./mod.ts", import.meta.url));
    expect(graph.size).toBeGreaterThan(10);
    for (const [file, text] of graph) {
      expect(text, file).not.toMatch(/from\s+"node:|import\s*\(\s*"node:/);
    }
  });

  it("runs the example of its module documentation", () => {
    const options = mod.parseOptions(["--virtual-time", "--duration", "1h", "--faults", "drop=0.3,crash:zephyr@20s"]);
    expect(options.durationMs).toBe(3_600_000);
    expect(options.faults?.faults).toEqual([{ kind: "drop", probability: 0.3 }, { kind: "crash", domain: "zephyr", atMs: 20_000 }]);
    const lines: string[] = [];
    const mux = mod.createConsoleMux({ out: { write: (t) => lines.push(t.trimEnd()) } });
    mux.line("zephyr", "*** Booting Zephyr OS ***");
    expect(lines).toEqual(["zephyr | *** Booting Zephyr OS ***"]);
  });
});
