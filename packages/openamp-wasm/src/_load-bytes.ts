/**
 * Fetch the bytes at url. Node 20's fetch() does not read file: URLs, so for
 * those (and only when fetch fails) the file is read with node:fs/promises,
 * imported dynamically so that browsers never load it.
 */
export async function loadBytes(url: URL): Promise<ArrayBuffer> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.arrayBuffer();
  } catch (err) {
    if (url.protocol !== "file:") {
      throw new Error(`[openamp-wasm] could not fetch ${url.href}: ${String(err)}`, { cause: err });
    }
    const specifier = "node:fs/promises";
    const fs = (await import(/* @vite-ignore */ specifier)) as { readFile(u: URL): Promise<Uint8Array> };
    const data = await fs.readFile(url);
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  }
}
