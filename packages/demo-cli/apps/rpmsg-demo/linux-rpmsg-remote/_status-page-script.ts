/**
 * Internal: the status page's one inline script. It keeps "Last update … ago"
 * true between writes: the age the page was written with, plus the time since
 * the file was written (`document.lastModified`, from the web server's
 * `Last-Modified` or the file's own time; without one, the browser's now, so
 * a page just written shows the age it was written with). Past the stale
 * limit it marks the page stale, as Linux would have at the next write.
 * Without JavaScript the page stays what Linux wrote: correct as of its
 * writing, and rewritten every period while Linux runs.
 */

/** The script (ES5, no dependencies), run at the end of the body. */
export const STATUS_PAGE_SCRIPT = String.raw`(function () {
  var age = document.getElementById("age");
  if (!age) return;
  var writtenAge = Number(age.getAttribute("data-age-ms"));
  var limit = Number(age.getAttribute("data-stale-after-ms"));
  var written = Date.parse(document.lastModified);
  if (!isFinite(writtenAge) || !isFinite(limit) || !isFinite(written)) return;
  var banner = document.getElementById("stale-banner");
  var bannerAge = document.getElementById("stale-age");
  function format(ms) {
    if (ms < 10000) return (ms / 1000).toFixed(1) + " s";
    if (ms < 120000) return Math.round(ms / 1000) + " s";
    if (ms < 7200000) return Math.round(ms / 60000) + " min";
    return Math.round(ms / 3600000) + " h";
  }
  function tick() {
    var now = writtenAge + Math.max(0, Date.now() - written);
    var stale = now > limit;
    age.textContent = format(now) + " ago";
    age.className = stale ? "stale" : "";
    document.documentElement.className = stale ? "is-stale" : "";
    if (banner) banner.hidden = !stale;
    if (bannerAge) bannerAge.textContent = format(now);
  }
  tick();
  setInterval(tick, 1000);
})();`;
