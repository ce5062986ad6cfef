// `v8r-demo browser --app DOMAIN=FILE.wasm`: the programs the page boots in
// place of the demo apps. The server hands out each file (and only it) at
// `/user-app/<n>/<file name>` and writes the list into the page, where the
// page module reads it (`pageApps`). Shared by the server (Node) and the
// page (no Node APIs here).

/** One program of the page: the domain it runs on and the URL path it is served at. */
export interface PageApp {
  /** Domain name as in the device tree. */
  readonly domain: string;
  /** URL path of the program, `/user-app/<n>/<file name>`. */
  readonly url: string;
}

/** A program as the server knows it: its page entry and the file on disk. */
export interface ServedApp extends PageApp {
  /** Absolute path of the .wasm file. */
  readonly file: string;
}

/** Where the list goes in `index.html`. */
export const APPS_MARK = "<!-- v8r:apps -->";
/** The id of the script element that holds the list. */
const APPS_ID = "v8r-apps";

/**
 * The served programs of `apps` (absolute paths), numbered in order; each is
 * served under `name` (default: the file's own name), so a program given as
 * a link keeps the name the user gave it.
 */
export function servedApps(apps: readonly { readonly domain: string; readonly file: string; readonly name?: string }[]): ServedApp[] {
  return apps.map((a, i) => ({ domain: a.domain, file: a.file, url: `/user-app/${i}/${encodeURIComponent(a.name ?? fileName(a.file))}` }));
}

/** The last component of `path` (either separator). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || "program.wasm";
}

/** The program served at URL path `path`, if any. */
export function appAt(apps: readonly ServedApp[], path: string): ServedApp | undefined {
  return apps.find((a) => a.url === path);
}

/** `html` with the list of `apps` in place of {@link APPS_MARK} (as JSON the page reads; `<` escaped). */
export function withAppList(html: string, apps: readonly PageApp[]): string {
  const list = JSON.stringify(apps.map(({ domain, url }) => ({ domain, url }))).replaceAll("<", "\\u003c");
  return html.replace(APPS_MARK, `<script type="application/json" id="${APPS_ID}">${list}</script>`);
}

/** In the page: the programs the server listed (none when it listed none). */
export function pageApps(doc: { getElementById(id: string): { textContent: string | null } | null }): PageApp[] {
  const text = doc.getElementById(APPS_ID)?.textContent;
  if (text === undefined || text === null || text === "") return [];
  const list: unknown = JSON.parse(text);
  if (!Array.isArray(list)) throw new TypeError(`[v8r-demo] browser page: the program list is not an array`);
  return list.map((a: unknown) => {
    const { domain, url } = (a ?? {}) as { domain?: unknown; url?: unknown };
    if (typeof domain !== "string" || typeof url !== "string") throw new TypeError(`[v8r-demo] browser page: a program entry needs a domain and a url, got ${JSON.stringify(a)}`);
    return { domain, url };
  });
}
