/*
 * The Linux side's memory of Zephyr's status, the C counterpart of
 * ../linux-rpmsg-remote/status-history.ts: the last samples, lost samples
 * (gaps in seq), restarts (new boot), malformed input and the link state.
 * Pure bookkeeping: callers pass the receive time.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>
#include "rd_status.h"

/** Samples kept (StatusHistory's default capacity). */
#define HISTORY_CAPACITY 300
/** Boots remembered. */
#define HISTORY_BOOTS 16

/** One kept sample: what the page and the JSON show of it. */
struct history_entry {
	char boot[9];
	double seq, t;
	int has_cpu;
	double cpu;
	int has_per;
	double per;
	double received_ms;
	double lost_before;
	int restart;
};

/** A Zephyr boot seen. */
struct history_boot {
	char boot[9];
	double first_seen_ms, first_seq, last_seq, samples;
	double first_dr, last_dr; /* Zephyr's drop count (ipc.dr) in the first and the latest accepted sample */
};

/** Totals (HistoryCounters). */
struct history_counters {
	double received, lost, restarts, malformed, stale, out_of_order;
};

/** What add() made of a sample (SampleOutcome). */
enum history_outcome { OUTCOME_FIRST, OUTCOME_NEXT, OUTCOME_GAP, OUTCOME_RESTART, OUTCOME_STALE, OUTCOME_OUT_OF_ORDER };

/** The history. */
struct history {
	struct history_entry entries[HISTORY_CAPACITY]; /* a ring: the oldest at start */
	size_t start, count;
	struct history_boot boots[HISTORY_BOOTS];
	size_t n_boots;
	struct history_counters counters;
	char link_state[64];
	int has_update;
	double last_update_ms;
	struct rd_sample latest; /* the newest sample in full */
	int has_latest;
	unsigned long revision;
};

/** Start empty, link "down". */
void history_init(struct history *h);
/**
 * Record a validated sample received at received_ms; lost is the gap before
 * it (OUTCOME_GAP), previous the boot before it (OUTCOME_RESTART). A gap
 * counts as lost only as far as Zephyr's ipc.dr says it dropped those
 * samples; a sample after a gap it does not explain is set aside
 * (OUTCOME_OUT_OF_ORDER, not recorded).
 */
enum history_outcome history_add(struct history *h, const struct rd_sample *s, double received_ms, double *lost, char previous[9]);
/**
 * Take up what a previous instance saved (StatusHistory.restore): the
 * counters, the boots (the newest HISTORY_BOOTS of the n given) and, when
 * has_update, the time of the newest sample. On an empty history only.
 */
void history_restore(struct history *h, const struct history_counters *c, const struct history_boot *boots, size_t n, int has_update, double last_update_ms);
/** Count a rejected message. */
void history_malformed(struct history *h);
/** Set the link state shown; 1 when it changed. */
int history_set_link(struct history *h, const char *state);
/** Entry i, oldest first (i < h->count). */
const struct history_entry *history_entry(const struct history *h, size_t i);
/** The ipc counter named name of the newest sample (0 before the first one or when it has none). */
double history_ipc(const struct history *h, const char *name);
/** The value of uint or percent field key of the newest sample; 0 when absent. */
int history_latest_num(const struct history *h, const char *key, double *out);

#endif
