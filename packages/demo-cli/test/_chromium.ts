// The browser the page tests drive: Debian's Chromium (installed by .ci/run), headless and quiet.

/** Debian's Chromium; a missing browser makes the tests that need it fail. */
export const CHROMIUM = "/usr/bin/chromium";

/** Launch arguments: headless, no sandbox (CI containers), no network chatter of its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
