/**
 * Node.js adapters of `@v8r/xen-dom0less`: read a device-tree file from disk, refusing anything
 * that is not a regular file and anything over {@link MAX_CONFIG_BYTES} before reading it.
 *
 * @example
 * ```ts
 * import { lintSource } from "@v8r/xen-dom0less";
 * import { readConfigFile, readIncludedFile } from "@v8r/xen-dom0less/node";
 * const bytes = readConfigFile("xen.dts"); // throws ConfigFileError for /dev/zero, a FIFO, a 1 GB file
 * const { diagnostics } = lintSource({ bytes, file: "xen.dts", readFile: readIncludedFile });
 * ```
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { ConfigFileError, MAX_CONFIG_BYTES, tooLarge } from "./config-file-error.ts";

export { ConfigFileError, MAX_CONFIG_BYTES } from "./config-file-error.ts";

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** Checks that `st` is a regular file within the limit. */
function checkStats(path: string, st: Stats): void {
  if (!st.isFile()) throw new ConfigFileError("not-a-file", path, `it is ${kindOf(st)}, not a regular file`);
  if (st.size > MAX_CONFIG_BYTES) throw tooLarge(path, st.size);
}

function ioError(path: string, err: unknown): ConfigFileError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new ConfigFileError("not-found", path, "no such file", { cause: err });
  const why = err instanceof Error ? err.message : String(err);
  return new ConfigFileError("unreadable", path, why, { cause: err });
}

/**
 * Reads a device-tree file (.dts or .dtb) whole. It is checked before any byte is read: it must be
 * a regular file (not a device, FIFO or directory, which could be endless or block) of at most
 * {@link MAX_CONFIG_BYTES}; a file that grows past the limit while being read is refused too.
 * @throws {ConfigFileError} `not-found`, `not-a-file`, `too-large` or `unreadable`
 */
export function readConfigFile(path: string): Uint8Array {
  let fd: number;
  try {
    checkStats(path, statSync(path)); // before opening: opening a FIFO would block
    fd = openSync(path, "r");
  } catch (err) {
    throw err instanceof ConfigFileError ? err : ioError(path, err);
  }
  try {
    const st = fstatSync(fd);
    checkStats(path, st); // the file opened is the file checked
    let buf = new Uint8Array(st.size + 1); // one spare byte shows a file that grew
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        const bigger = new Uint8Array(Math.min(buf.length * 2, MAX_CONFIG_BYTES + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_CONFIG_BYTES) throw tooLarge(path, length);
    }
    return buf.subarray(0, length);
  } catch (err) {
    throw err instanceof ConfigFileError ? err : ioError(path, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file named by `/include/` as UTF-8 text, for `parseDts`'s `readFile` option:
 * `undefined` when it does not exist (the parser reports `include-not-found`); the same checks
 * as {@link readConfigFile} otherwise (the parser reports `include-unreadable`).
 * @throws {ConfigFileError} when the file exists but cannot be read within the limits
 */
export function readIncludedFile(path: string): string | undefined {
  try {
    return new TextDecoder().decode(readConfigFile(path));
  } catch (err) {
    if (err instanceof ConfigFileError && err.code === "not-found") return undefined;
    throw err;
  }
}
