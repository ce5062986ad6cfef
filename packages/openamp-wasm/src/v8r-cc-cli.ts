#!/usr/bin/env node
/**
 * The `v8r-cc` command: see {@link runV8rCc}.
 *
 * @module
 */
import { runV8rCc } from "./v8r-cc.ts";

process.exitCode = runV8rCc(process.argv.slice(2));
