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

/** renderStatusPage(history, { now, refreshSeconds }) into out (appended). */
void status_page_render(struct rd_buf *out, const struct history *h, double now, double refresh_seconds);
/** renderStatusJson(history, { now }) into out (appended); now NULL: renderStatusJson(history). */
void status_json_render(struct rd_buf *out, const struct history *h, const double *now);
/** The members of the history's counters as JSON (received, lost, restarts, malformed, stale, outOfOrder), without braces. */
void status_counters_members(struct rd_buf *out, const struct history_counters *c);
/** renderCpuChart of the history's entries into out (appended). */
void cpu_chart_render(struct rd_buf *out, const struct history *h);

#endif
