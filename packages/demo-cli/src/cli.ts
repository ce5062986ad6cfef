#!/usr/bin/env node
/**
 * The `v8r-demo` executable: runs {@link runCli} on this process and
 * exits with its code.
 *
 * @module
 */
import { runCli } from "./cli-main.ts";

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signals: process,
  stdin: process.stdin,
});
process.exit(code);
