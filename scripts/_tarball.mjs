// Internal: read an npm package tarball (gzip'd ustar) into memory.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** The files of a .tgz as a Map from path (without the leading `package/`) to bytes. */
export function readTarball(file) {
  const tar = gunzipSync(readFileSync(file));
  const files = new Map();
  let longName;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, len) => header.subarray(start, start + len).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = body.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    if (type === "0" || type === "") files.set(name.replace(/^[^/]+\//, ""), Buffer.from(body));
  }
  return files;
}

/** The package.json inside a tarball. */
export function tarballManifest(file) {
  const bytes = readTarball(file).get("package.json");
  if (bytes === undefined) throw new Error(`[release] ${file} holds no package.json`);
  return JSON.parse(bytes.toString("utf8"));
}
