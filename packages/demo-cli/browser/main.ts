/**
 * The browser demo's page module: boots FVP_BaseR_AEMv8R on a RealClock
 * with one Web Worker per domain, Xen dom0less from the bundled device
 * tree, and shows the consoles and the status page the Linux guest writes
 * into its in-memory root filesystem. The page asks Linux for that file
 * with a `linux.read-file` control message; Linux answers with the bytes
 * it holds (a `linux.file` event on the trace bus). Nothing here renders
 * the status itself.
 *
 * Served by `v8r-demo browser`, which maps the `@v8r/...` imports to the
 * built packages (import map for the page, rewritten imports for Workers).
 *
 * @module
 */
import { createPlatform, FVP_BaseR_AEMv8R, RealClock, type Uart, WorkerExecutor } from "@v8r/fvp-core";
import { LINUX_FILE, LINUX_READ_FILE, type LinuxReadFileRequest, WEB_ROOT } from "@v8r/linux-shim";
import { bootXen, loadDom0lessConfig, parseDts, type Xen } from "@v8r/xen-dom0less";
import { AppsRun } from "../src/_apps-end.ts";
import { pageApps } from "../src/_browser-apps.ts";
import { crashPolicies, wasiRunnerSpecifier, withApps } from "../src/_demo-apps.ts";
import { withAppSet } from "../src/_demo-app-set.ts";
import { consoleUarts, currentImage, domainUarts, linuxConsoleDomain } from "../src/_demo-layout.ts";
import type { DemoPlatform, DemoTraceEvent } from "../src/trace-events.ts";

/** Where Linux writes the page. */
const STATUS_PATH = `${WEB_ROOT}/zephyr-status.html`;
const CONFIG_URL = "/config/v8r64-virtualization.dts";
const POLL_MS = 500;
const CONSOLE_LINES = 400;

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`[v8r-demo] browser page: #${id} is missing`);
  return el;
}

const stateEl = element("state", HTMLElement);
const problemEl = element("problem", HTMLElement);
const frame = element("status-frame", HTMLIFrameElement);
const sourceEl = element("status-source", HTMLElement);

function setState(text: string): void {
  stateEl.textContent = text;
  document.body.dataset["state"] = text;
}

function showProblem(text: string): void {
  problemEl.textContent = text;
  problemEl.classList.add("shown");
  setState("stopped");
}

/**
 * A console panel for `uart`: the last lines and the unfinished one (a
 * prompt, the echo of what is typed), following the end unless scrolled up.
 */
function consolePanel(source: string, uart: Uart): void {
  const pre = document.getElementById(`console-${source}`);
  if (!(pre instanceof HTMLPreElement)) return;
  const lines: string[] = [];
  let queued = false;
  const render = (): void => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      const follow = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.textContent = `${lines.join("\n")}\n${uart.pending()}`;
      if (follow) pre.scrollTop = pre.scrollHeight;
    });
  };
  uart.attach({
    line: (line) => {
      lines.push(line);
      if (lines.length > CONSOLE_LINES) lines.splice(0, lines.length - CONSOLE_LINES);
      render();
    },
  });
  uart.onOutput(render);
}

/** Lines typed into the command field go to `uart`, the Linux console, whose shell echoes them. */
function commandField(uart: Uart): void {
  const form = element("linux-input", HTMLFormElement);
  const field = element("linux-command", HTMLInputElement);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    uart.input(`${field.value}\n`);
    field.value = "";
  });
  field.disabled = false;
}

/**
 * Ask the Linux domain for its status page every POLL_MS and show what it
 * answers. An answer newer than the one shown is taken even when later
 * requests are still out, so a slow guest still updates the page.
 */
function followStatusPage(platform: DemoPlatform, xen: Xen, domain: string): void {
  let nextId = 1;
  let shownId = 0;
  let shown = "";
  const decoder = new TextDecoder();
  platform.trace.on((e) => {
    if (e.type !== LINUX_FILE || e.id <= shownId) return;
    shownId = e.id;
    if (!e.ok) {
      sourceEl.textContent = `not written yet (${e.error})`;
      return;
    }
    const html = decoder.decode(e.data);
    sourceEl.textContent = `${e.data.byteLength} bytes read from ${domain}:${STATUS_PATH} at ${new Date().toLocaleTimeString()}`;
    if (html !== shown) {
      shown = html;
      frame.srcdoc = html;
    }
  });
  setInterval(() => {
    if (xen.state(domain) !== "running") return;
    const request: LinuxReadFileRequest = { type: LINUX_READ_FILE, id: nextId++, path: STATUS_PATH };
    xen.post(domain, request);
  }, POLL_MS);
}

async function boot(): Promise<void> {
  if (!crossOriginIsolated) {
    showProblem(
      "This page is not cross-origin isolated, so it cannot use SharedArrayBuffer, which the emulated platform's memory needs. " +
        "Serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (v8r-demo browser does).",
    );
    return;
  }
  setState("fetching the device tree");
  const res = await fetch(CONFIG_URL);
  if (!res.ok) throw new Error(`[v8r-demo] browser page: fetching ${CONFIG_URL}: HTTP ${res.status}`);
  const { config: bundled, diagnostics } = loadDom0lessConfig(parseDts(await res.text(), { file: "v8r64-virtualization.dts" }));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`[v8r-demo] browser page: the device tree does not load: ${errors.map((d) => d.message).join("; ")}`);
  // ?apps=c: the demo apps in C (as v8r-demo --apps c); then the programs of v8r-demo browser --app in their domains
  const appSet = withAppSet(bundled, new URLSearchParams(location.search).get("apps") === "c" ? "c" : "ts", (specifier) => import.meta.resolve(specifier));
  const config = withApps(appSet, pageApps(document).map(({ domain, url }) => ({ domain, file: url })), (url) => new URL(url, location.href).href);

  const platform = createPlatform<DemoTraceEvent>(FVP_BaseR_AEMv8R, { clock: new RealClock(), executor: new WorkerExecutor({ stopTimeoutMs: 1000 }) });
  addEventListener("pagehide", () => void platform.shutdown());
  const uarts = consoleUarts(config);
  for (const [source, index] of Object.entries(uarts)) consolePanel(source, platform.uart(index));
  // programs of the user's: once no domain is left running, the page says how they ended (as v8r-demo does)
  const apps = AppsRun.wanted(config) ? new AppsRun(platform, config) : undefined;
  setState("booting Xen");
  const xen = await bootXen(platform, config, {
    resolveImage: (specifier) => import.meta.resolve(currentImage(specifier)),
    wasiRunner: (domain) => import.meta.resolve(wasiRunnerSpecifier(domain)),
    console: { xen: uarts["xen"] ?? 0, domains: domainUarts(uarts) },
    onCrash: crashPolicies(config),
  });
  setState("running");
  if (apps !== undefined) {
    apps.attach(xen, platform.clock.now());
    void apps.ended.then(() => {
      const { code, lines } = apps.verdict();
      setState(`ended (exit code ${code}): ${lines.join("; ")}`);
    });
  }
  const linux = linuxConsoleDomain(config);
  followStatusPage(platform, xen, linux);
  commandField(xen.console(linux));
}

boot().catch((err: unknown) => {
  showProblem(err instanceof Error ? err.message : String(err));
  throw err;
});
