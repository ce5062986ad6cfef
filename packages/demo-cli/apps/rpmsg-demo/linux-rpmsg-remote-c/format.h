/*
 * Human-readable numbers of the status page, the C counterparts of
 * ../linux-rpmsg-remote/_format.ts (same text to the byte).
 */
#ifndef FORMAT_H
#define FORMAT_H

#include "rd_buf.h"

/** formatUptime: 4.2 s, 3m 04s, 2h 03m 04s or 1d 02h 03m. */
void format_uptime(struct rd_buf *out, double ms);
/** formatBytes: 512 B, 12.0 KiB, 3.5 MiB. */
void format_bytes(struct rd_buf *out, double n);
/** formatAge: 0.4 s ago, 12 s ago, 3 min ago, 2 h ago. */
void format_age(struct rd_buf *out, double ms);
/** formatAgoLabel: now, −30 s, −2 min, −1.5 h (the unit chosen by step_seconds). */
void format_ago_label(struct rd_buf *out, double seconds, double step_seconds);
/** formatCount: String(n) with narrow no-break spaces between digit groups. */
void format_count(struct rd_buf *out, double n);
/** formatPeriod of the page: 2 s or 250 ms. */
void format_period(struct rd_buf *out, double ms);

#endif
