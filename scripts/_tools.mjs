// Internal: where the scripts find pnpm and Deno without either being on PATH.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The pinned pnpm, `pnpm@X.Y.Z`, from the root package.json's packageManager. */
export function pnpmSpec(root) {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager;
}

/** The first `name` executable on PATH, or undefined. */
export function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The command and leading arguments that run pnpm: `pnpm` from PATH when
 * there is one (`npm test` puts the pinned one there), else the pinned
 * version through `npm exec`, which needs only npm.
 */
export function pnpmCommand(root) {
  const onPathPnpm = onPath("pnpm");
  return onPathPnpm !== undefined ? [onPathPnpm, []] : ["npm", ["exec", "--yes", `--package=${pnpmSpec(root)}`, "--", "pnpm"]];
}

/**
 * Run a command and collect what it prints: resolves with `code` (its exit
 * code, or the signal that ended it), `out` (stdout and stderr as they came;
 * empty with `live`, which lets it print to ours) and `secs`. With
 * `timeoutMs` it is killed (SIGKILL) when it runs longer, and `out` says so.
 */
export function collect(cmd, args, { cwd, env = process.env, shell = false, live = false, timeoutMs } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env, shell, stdio: ["ignore", live ? "inherit" : "pipe", live ? "inherit" : "pipe"] });
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (out += d));
    child.on("error", (e) => (out += `could not start ${cmd}: ${e.message}\n`));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            out += `\n[killed: still running after ${timeoutMs / 1000} s]\n`;
            child.kill("SIGKILL");
          }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? 1, out, secs: (performance.now() - started) / 1000 });
    });
  });
}

/** Run the pinned pnpm with `args` in `cwd`; options as spawnSync's. */
export function runPnpm(root, args, options = {}) {
  const [cmd, pre] = pnpmCommand(root);
  return spawnSync(cmd, [...pre, ...args], { cwd: root, ...options });
}

/**
 * The Deno binary of the `deno` npm package: the executable itself when its
 * install script placed it, else the package's Node wrapper.
 */
export function denoBinary(root) {
  const exe = join(root, "node_modules", "deno", process.platform === "win32" ? "deno.exe" : "deno");
  return existsSync(exe) ? exe : join(root, "node_modules", ".bin", "deno");
}
