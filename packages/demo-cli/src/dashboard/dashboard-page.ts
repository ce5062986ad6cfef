/**
 * The HTML of the live dashboard: one static page with inline CSS and a
 * small script that follows `/events` (Server-Sent Events).
 *
 * @module
 */
import { DEFAULT_PERIOD_MS, PERIOD_RANGE_MS } from "../../apps/rpmsg-demo/protocol/mod.ts";
import { DASHBOARD_SCRIPT } from "./_dashboard-script.ts";

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2430; --bg: #f6f7f9; --card: #fff; --line: #d9dde3; --accent: #0b7285; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7eb; --bg: #14181f; --card: #1c222b; --line: #323b47; --accent: #3bc9db; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1em; align-items: baseline; padding: 12px 20px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 16px; padding: 16px 20px; align-items: start; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
#domains .table { overflow-x: auto; } @media (min-width: 1100px) { #domains { grid-column: span 2; } }
h2 { font-size: 15px; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); }
.bar { display: inline-block; width: 80px; height: 8px; background: var(--line); border-radius: 4px; margin-right: 6px; vertical-align: middle; }
.fill { height: 100%; background: var(--accent); border-radius: 4px; }
.state-up, .state-running { color: #2b8a3e; } .state-down, .state-crashed { color: #c92a2a; }
.conn.live { color: #2b8a3e; } .conn.down { color: #c92a2a; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { opacity: 0.7; } dd { margin: 0; font-variant-numeric: tabular-nums; }
svg#chart { display: block; width: 100%; height: auto; margin-top: 10px; }
#chart .grid { stroke: var(--line); stroke-width: 1; } #chart .axis { stroke: currentColor; opacity: 0.5; }
#chart text { fill: currentColor; opacity: 0.75; font-size: 10px; }
polyline { fill: none; stroke-width: 2; stroke-linejoin: round; }
#chart-tx { stroke: var(--accent); } #chart-rx { stroke: #e67700; }
#link-reason { font-weight: normal; font-size: 13px; opacity: 0.8; }
.state-stalled, .state-re-initialising, .state-paused, .state-shutdown { color: #e67700; } .state-destroyed, .state-dying { color: #c92a2a; }
#timeline { grid-column: 1 / -1; } @media (min-width: 1100px) { #timeline { grid-column: span 2; } }
#timeline ol { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; font-size: 13px; }
#timeline li { display: grid; grid-template-columns: 6.5em 5.5em 1fr; gap: 8px; padding: 3px 0; border-bottom: 1px solid var(--line); }
#timeline .when { font-variant-numeric: tabular-nums; opacity: 0.7; } #timeline .kind { opacity: 0.7; }
#timeline .warn .text { color: #e67700; } #timeline .error .text { color: #c92a2a; } #timeline .count { opacity: 0.7; }
pre { margin: 0; max-height: 240px; overflow: auto; font: 12px/1.35 ui-monospace, monospace; white-space: pre-wrap; }
#consoles { grid-column: 1 / -1; display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
.console { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.console h3 { font-size: 13px; margin: 0 0 4px; }
.console pre { height: 220px; } .console pre.empty { height: auto; opacity: 0.6; }
#period { margin-top: 14px; padding-top: 10px; border-top: 1px solid var(--line); }
#period h2 { font-size: 14px; } #period p { margin: 4px 0 8px; }
#sample { max-height: 268px; }
.legend { font-size: 12px; opacity: 0.8; } .legend .tx { color: var(--accent); } .legend .rx { color: #e67700; }
`;

/** Options of {@link renderDashboardPage}. */
export interface DashboardPageOptions {
  /** Page title; default "v8r dashboard". */
  readonly title?: string;
  /** Link to the status page Linux writes; default `zephyr-status.html`. */
  readonly statusPage?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The dashboard page. Sections carry stable ids (`domains`, `link`,
 * `sample`, `timeline`, `consoles`, `period-form`) for tests and screenshots.
 *
 * @example
 * ```ts
 * renderDashboardPage().includes('id="domains"'); // true
 * ```
 */
export function renderDashboardPage(options: DashboardPageOptions = {}): string {
  const title = escapeHtml(options.title ?? "v8r dashboard");
  const statusPage = escapeHtml(options.statusPage ?? "zephyr-status.html");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${title}</h1>
  <span id="conn" class="conn">connecting</span>
  <span>at <time id="time">-</time></span>
  <a href="${statusPage}">status page</a>
</header>
<main>
  <section class="card" id="domains">
    <h2>Domains</h2>
    <div class="table"><table><thead><tr><th>Name</th><th>ID</th><th>State</th><th>vCPUs</th><th>Load</th><th title="Xen's counts: times started again, and crashes">Restarts</th><th title="interrupts taken, by GIC line: 31 event-channel upcall, 32 console">IRQs</th></tr></thead>
    <tbody id="domains-body"></tbody></table></div>
    <div id="period">
      <h2>Sampling period</h2>
      <p>Zephyr samples every <span id="period-now">-</span> (the Linux app sends the change to Zephyr over rpmsg-ctrl)</p>
      <form id="period-form">
        <label>New period (ms) <input id="period-ms" type="number" min="${PERIOD_RANGE_MS.min}" max="${PERIOD_RANGE_MS.max}" step="100" value="${DEFAULT_PERIOD_MS}" required></label>
        <button type="submit">Set</button>
        <output id="period-result"></output>
      </form>
    </div>
  </section>
  <section class="card" id="link">
    <h2>RPMsg link <span id="link-state" class="state">-</span> <span id="link-reason"></span></h2>
    <dl>
      <dt>Zephyr &rarr; Linux</dt><dd><span id="tx">-</span> msg/s</dd>
      <dt>Linux &rarr; Zephyr</dt><dd><span id="rx">-</span> msg/s</dd>
      <dt>Ring occupancy</dt><dd><span class="bar"><span id="ring-fill" class="fill" style="display:block;width:0"></span></span><span id="ring-text">-</span></dd>
      <dt>Retries</dt><dd id="retries">-</dd>
      <dt>Re-inits</dt><dd id="reinits">-</dd>
      <dt>Lost samples</dt><dd id="lost">-</dd>
    </dl>
    <svg id="chart" viewBox="0 0 320 120" role="img" aria-label="messages per second over the last minute">
      <g id="chart-axes"></g><polyline id="chart-tx" points=""></polyline><polyline id="chart-rx" points=""></polyline>
    </svg>
    <div class="legend"><span class="tx">&#9644; Zephyr &rarr; Linux</span> <span class="rx">&#9644; Linux &rarr; Zephyr</span> msg/s over the last minute (the demo's own readings, one a second)</div>
  </section>
  <section class="card" id="sample-card">
    <h2>Latest sample</h2>
    <pre id="sample">(none yet)</pre>
  </section>
  <section class="card" id="timeline">
    <h2>Timeline</h2>
    <ol id="timeline-list"><li><span class="text">(nothing yet)</span></li></ol>
  </section>
  <div id="consoles"></div>
</main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
