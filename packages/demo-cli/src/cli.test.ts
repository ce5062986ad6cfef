import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));

/** Run the real executable (from source) and collect its output. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--conditions=source", cli, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the v8r-demo executable", () => {
  it("prints the help and exits 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^v8r-demo: /);
    expect(stdout).toContain("v8r-demo xl restart DOMAIN");
  });

  it("exits 2 with the reason and the usage hint on an unknown option", async () => {
    const { code, stdout, stderr } = await run(["--bogus"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^\[v8r-demo\] unknown option --bogus\nusage:\n  v8r-demo \[OPTIONS\]\n(  v8r-demo .*\n)+see v8r-demo --help for every option\n$/);
  });

  it("exits 1 from xl when no demo runs", async () => {
    const { code, stderr } = await run(["xl", "list"], { XDG_RUNTIME_DIR: fileURLToPath(new URL("./no-such-dir/", import.meta.url)) });
    expect(code).toBe(1);
    expect(stderr).toContain("no running demo found");
  });
});
