#!/usr/bin/env node
/**
 * The `xen-dom0less` command (Node): `xen-dom0less lint FILE.dts|FILE.dtb [--json]`.
 * Reads files with node:fs and hands everything else to the portable {@link runCli}.
 * @module
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import process from "node:process";
import { runCli } from "./_cli-run.ts";

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readBytes: (path) => new Uint8Array(readFileSync(path)),
  readText: (path) => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, "utf8") : undefined),
});
