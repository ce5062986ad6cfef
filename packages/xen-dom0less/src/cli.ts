#!/usr/bin/env node
/**
 * The `xen-dom0less` command (Node): `xen-dom0less lint FILE.dts|FILE.dtb [--json]`.
 * Reads files with the size-checked reader of `./node.ts` and hands everything else to the
 * portable {@link runCli}.
 * @module
 */
import process from "node:process";
import { runCli } from "./_cli-run.ts";
import { readConfigFile, readIncludedFile } from "./node.ts";

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readBytes: readConfigFile,
  readText: readIncludedFile,
});
