/** Internal: the inline style sheet of the status page. */
export const STATUS_PAGE_CSS = `
:root{--bg:#f4f6fa;--card:#fff;--ink:#1d2433;--muted:#667085;--line:#e4e7ee;--accent:#2563eb;--accent-soft:rgba(37,99,235,.14);--ok:#12805c;--warn:#b54708;--bad:#c0262d}
@media (prefers-color-scheme:dark){:root{--bg:#0f141c;--card:#171e29;--ink:#e6eaf2;--muted:#98a2b3;--line:#2a3342;--accent:#60a5fa;--accent-soft:rgba(96,165,250,.18);--ok:#34d399;--warn:#fbbf24;--bad:#f87171}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:980px;margin:0 auto;padding:24px 20px 40px}
header{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:8px;margin-bottom:18px}
h1{font-size:24px;margin:0;letter-spacing:-.01em}
h2{font-size:15px;margin:0 0 12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.06em}
.sub{color:var(--muted);font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:16px}
.card,.panel{background:var(--card);border:1px solid var(--line);border-radius:12px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.card{padding:14px 16px}
.panel{padding:16px 18px;margin-bottom:16px}
.label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.06em}
.value{font-size:26px;font-weight:650;margin-top:2px;font-variant-numeric:tabular-nums;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.value small{font-size:14px;color:var(--muted);font-weight:500}
.note{color:var(--muted);font-size:12px;margin-top:4px}
.bar{height:6px;border-radius:3px;background:var(--line);overflow:hidden;margin-top:8px}
.bar>span{display:block;height:100%;background:var(--accent)}
.state{display:inline-flex;align-items:center;gap:8px}
.state::before{content:"";width:10px;height:10px;border-radius:50%;background:var(--warn)}
.state.ok::before{background:var(--ok)}.state.bad::before{background:var(--bad)}
.stale{color:var(--warn)}
.banner{background:var(--card);border:1px solid var(--bad);border-left-width:6px;border-radius:12px;padding:12px 16px;margin-bottom:16px;color:var(--bad)}
.banner[hidden]{display:none}
.is-stale .cards .value,.is-stale .chart,.is-stale table{opacity:.55}
.counter-groups{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:8px 28px}
.counter-groups h3{font-size:13px;margin:0 0 6px;color:var(--muted);font-weight:600}
.chart{display:block;width:100%;height:auto}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .axis{stroke:var(--muted);stroke-width:1}
.chart .tick{stroke:var(--muted)}
.chart text{fill:var(--muted);font-size:12px;font-family:inherit}
.chart .line{fill:none;stroke:var(--accent);stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}
.chart .area{fill:var(--accent-soft);stroke:none}
.chart .dot{fill:var(--accent);stroke:var(--card);stroke-width:2}
.chart .gap{stroke:var(--warn);stroke-width:2;stroke-dasharray:3 3}
.chart .restart{stroke:var(--bad);stroke-dasharray:4 4}
.chart .restart-label{fill:var(--bad)}
.chart .empty{font-size:15px}
table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:7px 8px;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em;font-weight:600}
td.num,th.num{text-align:right}
td.name{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
td .bar{width:120px;display:inline-block;vertical-align:middle;margin:0 0 0 10px}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;background:var(--line);font-size:12px}
.counters{display:grid;gap:6px;margin:0}
.counters div{display:flex;justify-content:space-between;gap:8px;border-bottom:1px dashed var(--line);padding:4px 0}
.counters dt{color:var(--muted)}.counters dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.counters .warn dd{color:var(--warn)}
.waiting{padding:28px;text-align:center;color:var(--muted)}
@media (max-width:600px){main{padding:16px 12px 28px}.value{font-size:21px}td .bar{display:none}.panel{padding:14px 12px}}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
`;
