/** Internal: validation and normalisation of absolute guest paths. */

/**
 * Check that `path` is an absolute guest path and return its components
 * with `.` and `..` resolved (`..` at `/` stays at `/`, as on Linux).
 * Throws TypeError for a path that is not a string, not absolute or has a NUL byte.
 */
export function guestPathParts(path: string, what = "path"): string[] {
  if (typeof path !== "string") {
    throw new TypeError(`[linux-shim] ${what} must be a string, got ${typeof path}`);
  }
  if (!path.startsWith("/")) {
    throw new TypeError(`[linux-shim] ${what} "${path}" is not an absolute guest path (it must start with "/")`);
  }
  if (path.includes("\0")) {
    throw new TypeError(`[linux-shim] ${what} ${JSON.stringify(path)} contains a NUL byte`);
  }
  const parts: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      parts.pop();
      continue;
    }
    parts.push(segment);
  }
  return parts;
}

/** Normalise an absolute guest path: `"/a/./b/../c/"` becomes `"/a/c"`. */
export function normalizeGuestPath(path: string, what = "path"): string {
  return "/" + guestPathParts(path, what).join("/");
}
