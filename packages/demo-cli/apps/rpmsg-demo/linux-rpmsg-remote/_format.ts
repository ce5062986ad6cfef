/** Internal: HTML escaping and human-readable numbers for the status page. */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Zephyr uptime as `4.2 s`, `3m 04s`, `2h 03m 04s` or `1d 02h 03m`. */
export function formatUptime(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.floor(ms / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d}d ${two(h)}h ${two(m)}m`;
  if (h > 0) return `${h}h ${two(m)}m ${two(s)}s`;
  return `${m}m ${two(s)}s`;
}

/** Bytes as `512 B`, `12.0 KiB`, `3.5 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** An age as `0.4 s ago`, `12 s ago`, `3 min ago`, `2 h ago`. */
export function formatAge(ms: number): string {
  const age = Math.max(0, ms);
  if (age < 10_000) return `${(age / 1000).toFixed(1)} s ago`;
  if (age < 120_000) return `${Math.round(age / 1000)} s ago`;
  if (age < 7_200_000) return `${Math.round(age / 60_000)} min ago`;
  return `${Math.round(age / 3_600_000)} h ago`;
}

/**
 * A time before now as an axis label, in the unit that suits the tick
 * `stepSeconds` so all labels of one axis share a unit: `now`, `−30 s`,
 * `−2 min`, `−1.5 h`.
 */
export function formatAgoLabel(seconds: number, stepSeconds = seconds): string {
  if (seconds <= 0) return "now";
  const round = (v: number) => String(Math.round(v * 10) / 10);
  if (stepSeconds < 60) return `−${round(seconds)} s`;
  if (stepSeconds < 3600) return `−${round(seconds / 60)} min`;
  return `−${round(seconds / 3600)} h`;
}

/** A count with thin grouping: `12 345`. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
}
