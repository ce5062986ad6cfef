/*
 * rpmsg-remote in C: the counters kept across a Linux restart, the C
 * counterpart of ../linux-rpmsg-remote/_history-store.ts. After every write
 * of the status files the history's counters, its boots and the time of its
 * newest sample go to /var/lib/rpmsg-demo/history.json in Linux's root
 * filesystem (replaced atomically), and a new instance takes them up when it
 * starts: the one who outlives a Linux restart is its disk. The file is the
 * TypeScript remote's, byte for byte, so either app takes up the other's;
 * a file that is not one (or over RD_JSON_MAX_TEXT bytes: a saved state of
 * 16 boots takes under 3 KiB) is ignored, never fatal.
 */
#define _POSIX_C_SOURCE 200809L /* mkdir */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "rd_js.h"
#include "rd_json.h"
#include "remote.h"
#include "status_page.h"


/* JSON.stringify(history.snapshot()) + "\n" of the TypeScript remote. */
static void state_json(struct rd_buf *out, const struct history *h)
{
	rd_buf_str(out, "{\"v\":1,\"counters\":{");
	status_counters_members(out, &h->counters);
	rd_buf_str(out, "},\"boots\":");
	status_boots_json(out, h);
	rd_buf_str(out, ",\"lastUpdateMs\":");
	rd_js_number_or_null(out, h->has_update, h->last_update_ms);
	rd_buf_str(out, "}\n");
}

int remote_state_save(struct remote *r)
{
	if (!r->state_dir_ready) {
		int err = remote_make_dirs(REMOTE_STATE_DIR);
		if (err)
			return err;
		r->state_dir_ready = 1;
	}
	struct rd_buf text = { 0 };
	state_json(&text, &r->history);
	int err = rd_buf_ok(&text) ? remote_write_atomic(REMOTE_STATE_DIR, REMOTE_STATE_NAME, &text) : ENOMEM;
	rd_buf_free(&text);
	return err;
}

/* A member that must be a number: 1 with it in out (finite, and a safe non-negative integer when count). */
static int number_member(const struct rd_json_doc *doc, const struct rd_json_node *obj, const char *key, int count, double *out)
{
	const struct rd_json_node *v = rd_json_get(doc, obj, key);
	if (!v || v->type != RD_JSON_NUMBER || v->number != v->number || v->number - v->number != 0)
		return 0;
	if (count && (!rd_js_is_safe_integer(v->number) || v->number < 0))
		return 0;
	*out = v->number;
	return 1;
}

static int read_boot(const struct rd_json_doc *doc, const struct rd_json_node *b, struct history_boot *out)
{
	const struct rd_json_node *id = rd_json_get(doc, b, "boot");
	if (b->type != RD_JSON_OBJECT || !id || id->type != RD_JSON_STRING || id->len >= sizeof out->boot)
		return 0; /* every saved boot id is 8 hex digits */
	memcpy(out->boot, id->str, id->len);
	out->boot[id->len] = '\0';
	return number_member(doc, b, "firstSeenMs", 0, &out->first_seen_ms) && number_member(doc, b, "firstSeq", 0, &out->first_seq) &&
	       number_member(doc, b, "lastSeq", 0, &out->last_seq) && number_member(doc, b, "samples", 0, &out->samples) &&
	       number_member(doc, b, "firstDr", 0, &out->first_dr) && number_member(doc, b, "lastDr", 0, &out->last_dr);
}

/* Whether the document is a saved state (isHistoryState of status-history.ts); fills the history when it is. */
static int take_up(const struct rd_json_doc *doc, struct history *h)
{
	const struct rd_json_node *root = &doc->nodes[0], *last = rd_json_get(doc, root, "lastUpdateMs");
	const struct rd_json_node *counters = rd_json_get(doc, root, "counters"), *boots = rd_json_get(doc, root, "boots");
	double v, last_ms = 0;
	struct history_counters c;
	if (!number_member(doc, root, "v", 0, &v) || v != 1 || !counters || counters->type != RD_JSON_OBJECT || !boots || boots->type != RD_JSON_ARRAY)
		return 0;
	if (!number_member(doc, counters, "received", 1, &c.received) || !number_member(doc, counters, "lost", 1, &c.lost) ||
	    !number_member(doc, counters, "restarts", 1, &c.restarts) || !number_member(doc, counters, "malformed", 1, &c.malformed) ||
	    !number_member(doc, counters, "stale", 1, &c.stale) || !number_member(doc, counters, "outOfOrder", 1, &c.out_of_order))
		return 0;
	if (!last || (last->type != RD_JSON_NULL && !number_member(doc, root, "lastUpdateMs", 0, &last_ms)))
		return 0;
	static struct history_boot kept[HISTORY_BOOTS];
	size_t skip = boots->count > HISTORY_BOOTS ? boots->count - HISTORY_BOOTS : 0, i = 0;
	for (const struct rd_json_node *b = rd_json_at(doc, boots, 0); b; b = rd_json_next(doc, b), i++) {
		struct history_boot one;
		if (!read_boot(doc, b, &one))
			return 0;
		if (i >= skip)
			kept[i - skip] = one;
	}
	history_restore(h, &c, kept, boots->count - skip, last->type != RD_JSON_NULL, last_ms);
	return 1;
}

void remote_state_restore(struct remote *r)
{
	static char text[RD_JSON_MAX_TEXT + 1];
	static struct rd_json_doc doc;
	FILE *f = fopen(REMOTE_STATE_DIR "/" REMOTE_STATE_NAME, "rb");
	if (!f)
		return; /* the first start */
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	if (n > RD_JSON_MAX_TEXT || rd_json_read_object(&doc, (const uint8_t *)text, n, RD_JSON_MAX_TEXT) != RD_JSON_OK || !take_up(&doc, &r->history))
		return;
	const struct history_counters *c = &r->history.counters;
	struct rd_buf line = { 0 };
	rd_js_number(&line, c->received);
	rd_buf_str(&line, " sample(s) received, ");
	rd_js_number(&line, c->lost);
	rd_buf_str(&line, " lost, ");
	rd_js_number(&line, c->restarts);
	remote_log("took up the counters of the previous instance: %s Zephyr restart(s) seen", rd_buf_cstr(&line));
	rd_buf_free(&line);
}
