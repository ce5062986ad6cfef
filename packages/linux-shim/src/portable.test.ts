import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Every module reachable from `entry` through relative imports. */
function moduleGraph(entry: URL): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (url: URL) => {
    if (seen.has(url.href)) return;
    const text = readFileSync(url, "utf8");
    seen.set(url.href, text);
    for (const m of text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)) {
      visit(new URL(m[1] as string, url));
    }
  };
  visit(entry);
  return seen;
}

describe("portable entry", () => {
  it("mod.ts reaches no node: module, so it runs in browsers", () => {
    const graph = moduleGraph(new URL("./mod.ts", import.meta.url));
    expect(graph.size).toBeGreaterThan(5);
    const offenders = [...graph].filter(([, text]) => /from\s+"node:|import\("node:/.test(text)).map(([href]) => href);
    expect(offenders).toEqual([]);
  });

  it("node.ts is where the host-specific parts are", () => {
    const graph = moduleGraph(new URL("./node.ts", import.meta.url));
    expect([...graph.values()].some((text) => text.includes(`from "node:http"`))).toBe(true);
  });
});
