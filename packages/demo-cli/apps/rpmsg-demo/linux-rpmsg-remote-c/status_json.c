/* The JSON twin of the status page, zephyr-status.json (statusJson of status-page.ts), and the saved counters' parts: see status_page.h. */
#include "status_page.h"

#include <string.h>
#include "rd_js.h"

void status_counters_members(struct rd_buf *out, const struct history_counters *c)
{
	const double v[] = { c->received, c->lost, c->restarts, c->malformed, c->stale, c->out_of_order };
	const char *const k[] = { "received", "lost", "restarts", "malformed", "stale", "outOfOrder" };
	for (size_t i = 0; i < 6; i++) {
		rd_buf_printf(out, "%s\"%s\":", i ? "," : "", k[i]);
		rd_js_number(out, v[i]);
	}
}

static void ipc_json(struct rd_buf *out, const struct history *h)
{
	int i = rd_status_field("ipc");
	const struct rd_field *f = rd_status_field_spec(i);
	rd_buf_ch(out, '{');
	for (size_t m = 0; m < f->n_members; m++) {
		rd_buf_printf(out, "%s\"%s\":", m ? "," : "", f->members[m].name);
		rd_js_number(out, history_ipc(h, f->members[m].name));
	}
	rd_buf_ch(out, '}');
}

void status_boots_json(struct rd_buf *out, const struct history *h)
{
	rd_buf_ch(out, '[');
	for (size_t i = 0; i < h->n_boots; i++) {
		const struct history_boot *b = &h->boots[i];
		rd_buf_printf(out, "%s{\"boot\":", i ? "," : "");
		rd_js_json_cstr(out, b->boot);
		const double v[] = { b->first_seen_ms, b->first_seq, b->last_seq, b->samples, b->first_dr, b->last_dr };
		const char *const k[] = { "firstSeenMs", "firstSeq", "lastSeq", "samples", "firstDr", "lastDr" };
		for (size_t j = 0; j < 6; j++) {
			rd_buf_printf(out, ",\"%s\":", k[j]);
			rd_js_number(out, v[j]);
		}
		rd_buf_ch(out, '}');
	}
	rd_buf_ch(out, ']');
}

/*
 * The JSON of one history entry. A kept entry never changes and every write
 * of the files has all of them (one new each time), so each one's text is
 * kept by its place in the ring, with the values it was made from: it is
 * used again only for the same values.
 */
#define ENTRY_JSON_MAX 200
static struct entry_text {
	char boot[sizeof ((struct history_entry *)0)->boot];
	double seq, t, cpu, received_ms;
	int has_cpu;
	size_t len;
	char text[ENTRY_JSON_MAX];
} entry_texts[HISTORY_CAPACITY];

static int same_entry(const struct entry_text *k, const struct history_entry *e)
{
	return k->len && k->seq == e->seq && k->t == e->t && k->has_cpu == e->has_cpu && (!e->has_cpu || k->cpu == e->cpu) &&
	       k->received_ms == e->received_ms && !strcmp(k->boot, e->boot);
}

static void entry_json(struct rd_buf *out, const struct history *h, const struct history_entry *e)
{
	struct entry_text *k = &entry_texts[e - h->entries];
	if (same_entry(k, e)) {
		rd_buf_add(out, k->text, k->len);
		return;
	}
	size_t start = out->len;
	rd_buf_str(out, "{\"boot\":");
	rd_js_json_cstr(out, e->boot);
	rd_buf_str(out, ",\"seq\":");
	rd_js_number(out, e->seq);
	rd_buf_str(out, ",\"t\":");
	rd_js_number(out, e->t);
	rd_buf_str(out, ",\"cpu\":");
	rd_js_number_or_null(out, e->has_cpu, e->cpu);
	rd_buf_str(out, ",\"receivedMs\":");
	rd_js_number(out, e->received_ms);
	rd_buf_ch(out, '}');
	k->len = 0;
	if (!rd_buf_ok(out) || out->len - start > sizeof k->text)
		return;
	memcpy(k->text, out->p + start, out->len - start);
	memcpy(k->boot, e->boot, sizeof k->boot);
	k->seq = e->seq, k->t = e->t, k->cpu = e->cpu, k->received_ms = e->received_ms, k->has_cpu = e->has_cpu;
	k->len = out->len - start;
}

void status_json_render(struct rd_buf *out, const struct history *h, const double *now)
{
	struct freshness f = status_freshness(h, now ? *now : 0);
	rd_buf_str(out, "{\"v\":1,\"link\":");
	rd_js_json_cstr(out, h->link_state);
	rd_buf_str(out, ",\"lastUpdateMs\":");
	rd_js_number_or_null(out, h->has_update, h->last_update_ms);
	/* the age and the stale mark as of now; without a now they are left out (null, not stale) */
	rd_buf_str(out, ",\"writtenMs\":");
	rd_js_number_or_null(out, now != NULL, now ? *now : 0);
	rd_buf_str(out, ",\"ageMs\":");
	rd_js_number_or_null(out, now && f.has_age, f.age_ms);
	rd_buf_printf(out, ",\"stale\":%s,\"staleAfterMs\":", now && f.stale ? "true" : "false");
	rd_js_number(out, f.stale_after_ms);
	rd_buf_str(out, ",\"counters\":{");
	status_counters_members(out, &h->counters);
	rd_buf_ch(out, '}');
	rd_buf_str(out, ",\"ipc\":");
	ipc_json(out, h);
	rd_buf_str(out, ",\"boots\":");
	status_boots_json(out, h);
	rd_buf_str(out, ",\"latest\":");
	if (h->has_latest)
		rd_status_sample_json(out, &h->latest);
	else
		rd_buf_str(out, "null");
	rd_buf_str(out, ",\"history\":[");
	for (size_t i = 0; i < h->count; i++) {
		if (i)
			rd_buf_ch(out, ',');
		entry_json(out, h, history_entry(h, i));
	}
	rd_buf_str(out, "]}\n");
}
