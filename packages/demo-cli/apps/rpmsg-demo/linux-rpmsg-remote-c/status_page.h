/*
 * The status page and its JSON twin, rendered from the history: the C
 * counterpart of ../linux-rpmsg-remote/status-page.ts and _cpu-chart.ts,
 * which are the reference (the same history gives the same bytes; the
 * style sheet and chart geometry come from status_page_template.h, generated
 * from them).
 */
#ifndef STATUS_PAGE_H
#define STATUS_PAGE_H

#include "history.h"
#include "rd_buf.h"

/** Periods without a sample after which the page says its data is stale (STALE_PERIODS in status-page.ts). */
#define STALE_PERIODS 3

/** How old the newest sample is at a time, and whether that makes the data stale (Freshness of status-page.ts). */
struct freshness {
	int has_age;
	double age_ms, stale_after_ms;
	int stale;
};

/** freshness(history, now) of status-page.ts. */
struct freshness status_freshness(const struct history *h, double now);
/** The sampling period of the newest sample (its per), or the default period before one with it. */
double status_period_ms(const struct history *h);
/** renderStatusPage(history, { now, refreshSeconds }) into out (appended). */
void status_page_render(struct rd_buf *out, const struct history *h, double now, double refresh_seconds);
/** renderStatusJson(history, { now }) into out (appended); now NULL: renderStatusJson(history). */
void status_json_render(struct rd_buf *out, const struct history *h, const double *now);
/** The members of the history's counters as JSON (received, lost, restarts, malformed, stale, outOfOrder), without braces. */
void status_counters_members(struct rd_buf *out, const struct history_counters *c);
/** The history's boots as the JSON array statusJson writes (BootRecord objects, oldest first). */
void status_boots_json(struct rd_buf *out, const struct history *h);
/** renderCpuChart of the history's entries into out (appended). */
void cpu_chart_render(struct rd_buf *out, const struct history *h);

#endif
