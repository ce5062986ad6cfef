// A Linux root filesystem where the counters file cannot be saved (its
// directory is taken by a file): both rpmsg-remotes (TypeScript and C) keep
// writing the status page and say which file they could not write, with the
// same console line.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runVirtual } from "./_virtual-system.ts";

describe.each(["ts", "c"] as const)("rpmsg-remote (%s) when history.json cannot be saved", (apps) => {
  it("keeps writing the page and names the counters file, not the page, in its log", async () => {
    const rootfs = mkdtempSync(join(tmpdir(), "v8r-history-fail-"));
    mkdirSync(join(rootfs, "var/lib"), { recursive: true });
    writeFileSync(join(rootfs, "var/lib/rpmsg-demo"), "a file where the directory should be\n");
    const run = await runVirtual({ seed: 1, durationMs: 5_000, apps, rootfs });
    const lines = run.console.filter((l) => l.includes("rpmsg-remote:"));
    expect(lines.some((l) => /rpmsg-remote: saving the counters to \/var\/lib\/rpmsg-demo\/history\.json: .+: failed$/.test(l))).toBe(true);
    expect(lines.filter((l) => l.includes("writing the status page failed"))).toEqual([]);
    expect(run.json.counters.received).toBeGreaterThanOrEqual(4);
    expect(run.html).toContain("</html>"); // read before runVirtual removed the directory
  }, 60_000);
});
