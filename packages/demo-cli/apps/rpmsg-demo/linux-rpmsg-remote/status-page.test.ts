import { describe, expect, it } from "vitest";
import { buildSampleHistory } from "./test/sample-history.ts";
import { StatusHistory } from "./status-history.ts";
import { renderStatusJson, renderStatusPage, statusJson } from "./status-page.ts";
import { chartTop } from "./_cpu-chart.ts";
import { STATUS_PAGE_SCRIPT } from "./_status-page-script.ts";
import { runPageScript } from "./test/page-script.ts";

const hostile = `<script>alert("x")</script>`;

function pointsOf(html: string): [number, number][][] {
  return [...html.matchAll(/<polyline class="line" points="([^"]+)"/g)].map((m) =>
    (m[1] ?? "").split(" ").map((pair) => pair.split(",").map(Number) as [number, number]));
}

describe("renderStatusPage", () => {
  it("is a complete HTML document that reloads itself, with one inline script (its own) and no handlers", () => {
    const { history, lastMs } = buildSampleHistory();
    const html = renderStatusPage(history, { now: lastMs + 400 });
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="refresh" content="1">`);
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).toContain(`<script>${STATUS_PAGE_SCRIPT}</script>`);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it.each([[5, `content="5"`], [0, null]])("refreshSeconds %d gives the refresh tag %s", (refresh, tag) => {
    const html = renderStatusPage(new StatusHistory(), { now: 0, refreshSeconds: refresh });
    if (tag) expect(html).toContain(tag);
    else expect(html).not.toContain("http-equiv");
  });

  it("shows the latest uptime, CPU load, heap, link state and update age at the top", () => {
    const { history, lastMs } = buildSampleHistory();
    const html = renderStatusPage(history, { now: lastMs + 2500 });
    const top = html.slice(0, html.indexOf("<h2>CPU load</h2>"));
    const latest = history.latest()?.sample;
    expect(top).toContain(`${latest?.cpu?.toFixed(1)}<small> %</small>`);
    expect(top).toContain("55.1 s"); // uptime of the last sample (t = 55 100 ms)
    expect(top).toContain("6.8 KiB");
    expect(top).toContain(`<span class="state ok">bound</span>`);
    expect(top).toContain("2.5 s ago");
    expect(top).toContain("boot 9f8e7d6c · seq 54");
  });

  it("marks an old update as stale after three periods: the age, a visible banner, the link, and the JSON", () => {
    const { history, lastMs } = buildSampleHistory();
    const fresh = renderStatusPage(history, { now: lastMs + 3000 });
    expect(fresh).toContain(`<span id="age" class="" data-age-ms="3000" data-stale-after-ms="3000">3.0 s ago</span>`);
    expect(fresh).toMatch(/<div id="stale-banner" class="banner" role="status" hidden>/);
    expect(fresh).toContain(`<span class="state ok">bound</span>`);
    const stale = renderStatusPage(history, { now: lastMs + 10_000 });
    expect(stale).toContain(`<span id="age" class="stale" data-age-ms="10000" data-stale-after-ms="3000">10 s ago</span>`);
    expect(stale).toMatch(/<html lang="en" class="is-stale">/);
    expect(stale).toContain(`<div id="stale-banner" class="banner" role="status">No status sample from Zephyr for <b id="stale-age">10 s</b>: the figures below are stale (a sample is due every 1 s).</div>`);
    expect(stale).toContain(`<span class="state bad">bound</span></div><div class="note">no sample for 10 s</div>`);
    expect(statusJson(history, { now: lastMs + 10_000 })).toMatchObject({ writtenMs: lastMs + 10_000, ageMs: 10_000, stale: true, staleAfterMs: 3000 });
    expect(statusJson(history, { now: lastMs + 3000 })).toMatchObject({ ageMs: 3000, stale: false });
  });

  it("keeps the age true in the browser between writes: the script adds the time since the file was written", () => {
    const { history, lastMs } = buildSampleHistory();
    const html = renderStatusPage(history, { now: lastMs + 1000 });
    const page = runPageScript(html, { lastModified: 50_000, now: 50_000 });
    expect(page.text("age")).toBe("1.0 s ago");
    expect(page.hidden("stale-banner")).toBe(true);
    page.advance(2500); // no rewrite came: the writer is gone
    expect(page.text("age")).toBe("3.5 s ago");
    expect(page.root()).toBe("is-stale");
    expect(page.hidden("stale-banner")).toBe(false);
    expect(page.text("stale-age")).toBe("3.5 s");
  });

  it("draws the CPU chart inside the plot, split at the gap and the restart", () => {
    const { history, lastMs } = buildSampleHistory({ samples: 180 });
    const html = renderStatusPage(history, { now: lastMs });
    const runs = pointsOf(html);
    expect(runs).toHaveLength(3);
    expect(runs.reduce((n, r) => n + r.length, 0)).toBe(180);
    for (const [x, y] of runs.flat()) {
      expect(x).toBeGreaterThanOrEqual(48);
      expect(x).toBeLessThanOrEqual(704);
      expect(y).toBeGreaterThanOrEqual(14);
      expect(y).toBeLessThanOrEqual(206);
    }
    const last = runs[2]?.at(-1);
    expect(last?.[0]).toBeCloseTo(704, 0);
    expect(html).toContain(`class="restart"`);
    expect(html).toContain(`class="gap"`);
    const max = Math.max(...history.entries().map((e) => e.sample.cpu ?? 0));
    expect(html).toContain(`>${chartTop(max)}%</text>`);
    expect(html).toContain(">now</text>");
  });

  it("scales the y axis to the load shown: a quiet Zephyr's 0.3 % is not a flat line", () => {
    const h = new StatusHistory();
    for (let i = 0; i < 10; i++) h.add({ v: 1, seq: i, boot: "00000001", t: i * 1000, cpu: i % 2 === 0 ? 0.1 : 0.3, per: 1000 }, i * 1000);
    const html = renderStatusPage(h, { now: 9000 });
    expect(html).toContain(">1%</text>");
    expect(html).toContain(">0.5%</text>");
    expect(html).not.toContain(">100%</text>");
    const ys = pointsOf(html).flat().map(([, y]) => y);
    expect(Math.min(...ys)).toBeLessThan(206 - 0.25 * 192); // 0.3 % of a 1 % axis: well above the floor
    expect(chartTop(0)).toBe(1);
    expect(chartTop(7)).toBe(10);
    expect(chartTop(100)).toBe(100);
  });

  it("maps CPU load to height: 100% at the top of the plot, 0% at the bottom", () => {
    const h = new StatusHistory();
    h.add({ v: 1, seq: 0, boot: "00000001", t: 0, cpu: 0, per: 1000 }, 0);
    h.add({ v: 1, seq: 1, boot: "00000001", t: 1000, cpu: 100, per: 1000 }, 1000);
    const [run] = pointsOf(renderStatusPage(h, { now: 1000 }));
    expect(run?.map(([, y]) => y)).toEqual([206, 14]);
  });

  it("escapes thread names, states and the link state", () => {
    const h = new StatusHistory();
    h.setLinkState(`<img src=x onerror=alert(1)>`);
    h.add({ v: 1, seq: 0, boot: "abcdef01", t: 5, thr: [{ name: hostile, state: `"><b>`, cpu: 1 }] }, 5);
    const html = renderStatusPage(h, { now: 5 });
    expect(html).not.toContain(hostile);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;b&gt;");
    expect(html.match(/<script/gi)).toHaveLength(1); // the page's own
  });

  it("lists the threads of the latest sample and the counters", () => {
    const { history, lastMs } = buildSampleHistory();
    const html = renderStatusPage(history, { now: lastMs });
    for (const name of ["rpmsg_host", "sysworkq", "logging", "idle", "main"]) {
      expect(html).toContain(`<td class="name">${name}</td>`);
    }
    expect(html).toMatch(/<dt>Lost samples<\/dt><dd>3<\/dd>/);
    expect(html).toMatch(/<dt>Zephyr restarts seen<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/<dt>Send retries<\/dt><dd>2<\/dd>/);
    expect(html).toMatch(/<dt>Dropped by Zephyr \(dr\)<\/dt><dd>4<\/dd>/);
    expect(html).toMatch(/<dt>Link re-inits<\/dt><dd>0<\/dd>/);
    expect(html).toMatch(/<dt>Malformed messages<\/dt><dd>0<\/dd>/);
  });

  it("counts sent and received in the same terms: the newest sample is in both (regression: 196 received beside 195 sent)", () => {
    const h = new StatusHistory();
    for (let seq = 0; seq < 196; seq++) h.add({ v: 1, seq, boot: "0000abcd", t: seq * 1000, ipc: { tx: seq, rt: 0, ri: 0, dr: 0, q: 0 } }, seq * 1000);
    const html = renderStatusPage(h, { now: 195_000 });
    expect(html).toContain("<h3>Zephyr boot 0000abcd, as of seq 195</h3>");
    expect(html).toMatch(/<dt>Sends \(tx\), this one included<\/dt><dd>196<\/dd>/);
    expect(html).toMatch(/<dt>Received from this boot<\/dt><dd>196<\/dd>/);
    expect(html).toMatch(/<h3>Linux, every Zephyr boot<\/h3><dl class="counters"><div><dt>Samples received<\/dt><dd>196<\/dd>/);
  });

  it("says it is waiting before the first sample", () => {
    const html = renderStatusPage(new StatusHistory(), { now: 0 });
    expect(html).toContain("Waiting for the first status sample");
    expect(html).toContain(`<span class="state bad">down</span>`);
  });

  it.each([[{ now: Number.NaN }, TypeError], [{ now: 0, refreshSeconds: -1 }, RangeError]])("rejects bad options %j", (opts, type) => {
    expect(() => renderStatusPage(new StatusHistory(), opts)).toThrow(type);
  });
});

describe("renderStatusJson", () => {
  it("carries the same facts as the page", () => {
    const { history } = buildSampleHistory({ samples: 20 });
    const doc = JSON.parse(renderStatusJson(history)) as ReturnType<typeof statusJson>;
    expect(doc).toMatchObject({ v: 1, link: "bound", counters: { received: 20, lost: 3, restarts: 1 } });
    expect(doc.history).toHaveLength(20);
    expect(doc.latest?.seq).toBe(history.latest()?.sample.seq);
    expect(doc.boots.map((b) => b.boot)).toEqual(["1a2b3c4d", "9f8e7d6c"]);
  });
});
