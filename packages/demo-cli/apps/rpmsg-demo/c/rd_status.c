/* rd_status: the field table (from the generated header) and the encoder; see rd_status.h. The validator is rd_status_parse.c. */
#include <stdint.h>
#include "rd_status.h"
#define RD_STATUS_TABLES
#include "rpmsg_demo_protocol.h" /* the table, after struct rd_zephyr_facts */

#include <stdio.h>
#include <string.h>
#include "rd_js.h"

int rd_status_field(const char *key)
{
	for (int i = 0; i < RD_STATUS_FIELD_COUNT; i++)
		if (!strcmp(rd_status_fields[i].key, key))
			return i;
	return -1;
}

const struct rd_field *rd_status_field_spec(int i)
{
	return &rd_status_fields[i];
}

double rd_wire_percent(double x)
{
	double c = x < 0 ? 0 : x;
	c = 100 < c ? 100 : c;
	return rd_js_round(c * 10) / 10;
}

static double fact(const struct rd_zephyr_facts *f, size_t off)
{
	double v;
	memcpy(&v, (const char *)f + off, sizeof v);
	return v;
}

static int uint_ok(struct rd_buf *why, const char *key, const char *member, double v, double min)
{
	if (rd_js_is_safe_integer(v) && v >= min)
		return 1;
	if (why) {
		rd_buf_printf(why, "[rpmsg-demo] encoding a status sample: %s%s%s = ", key, member ? "." : "", member ? member : "");
		rd_js_number(why, v);
		rd_buf_str(why, " is not an integer >= ");
		rd_js_number(why, min);
	}
	return 0;
}

/* The JSON text of field f (not the threads field); 0 when a fact is out of range. */
static int wire_value(const struct rd_field *f, const struct rd_zephyr_facts *facts, struct rd_buf *out, struct rd_buf *why)
{
	switch (f->kind) {
	case RD_KIND_VERSION:
		rd_js_number(out, RD_PROTOCOL_VERSION);
		return 1;
	case RD_KIND_UINT: {
		double v = fact(facts, f->from);
		if (!uint_ok(why, f->key, NULL, v, f->min))
			return 0;
		rd_js_number(out, v);
		return 1;
	}
	case RD_KIND_HEX8: {
		const char *v = (const char *)facts + f->from;
		int ok = strlen(v) == 8;
		for (int i = 0; ok && i < 8; i++)
			ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f');
		if (!ok && why)
			rd_buf_printf(why, "[rpmsg-demo] encoding a status sample: %s \"%s\" is not 8 lower-case hex digits", f->key, v);
		if (ok)
			rd_js_json_cstr(out, v);
		return ok;
	}
	case RD_KIND_PERCENT:
		rd_js_number(out, rd_wire_percent(fact(facts, f->from)));
		return 1;
	case RD_KIND_PAIR:
	case RD_KIND_COUNTERS:
		rd_buf_ch(out, f->kind == RD_KIND_PAIR ? '[' : '{');
		for (size_t i = 0; i < f->n_members; i++) {
			double v = fact(facts, f->members[i].from);
			if (!uint_ok(why, f->key, f->members[i].name, v, 0))
				return 0;
			if (i)
				rd_buf_ch(out, ',');
			if (f->kind == RD_KIND_COUNTERS) {
				rd_js_json_cstr(out, f->members[i].name);
				rd_buf_ch(out, ':');
			}
			rd_js_number(out, v);
		}
		rd_buf_ch(out, f->kind == RD_KIND_PAIR ? ']' : '}');
		return 1;
	case RD_KIND_THREADS:
		break;
	}
	return 0;
}

int rd_status_encode(const struct rd_zephyr_facts *facts, size_t limit, struct rd_buf *out, struct rd_buf *why)
{
	struct rd_buf head = { 0 }, tail = { 0 };
	struct rd_buf *part = &head;
	int fit = -1;
	rd_buf_ch(&head, '{');
	for (int i = 0; i < RD_STATUS_FIELD_COUNT; i++) {
		const struct rd_field *f = &rd_status_fields[i];
		if (i)
			rd_buf_ch(part, ',');
		rd_js_json_cstr(part, f->key);
		rd_buf_ch(part, ':');
		if (f->kind == RD_KIND_THREADS) {
			rd_buf_ch(part, '[');
			fit = i;
			part = &tail; /* the entries go between head and tail */
			rd_buf_ch(part, ']');
			continue;
		}
		if (!wire_value(f, facts, part, why)) {
			rd_buf_free(&head);
			rd_buf_free(&tail);
			return RD_STATUS_EENCODE;
		}
	}
	rd_buf_ch(part, '}');
	size_t size = head.len + tail.len;
	rd_buf_reset(out);
	if (size > limit) {
		if (why)
			rd_buf_printf(why, "[rpmsg-demo] encoding status sample %.0f: %zu bytes before any thread entry, over %zu", facts->seq, size, limit);
		rd_buf_free(&head);
		rd_buf_free(&tail);
		return RD_STATUS_EENCODE;
	}
	rd_buf_add(out, head.p, head.len);
	size_t kept = 0;
	struct rd_buf entry = { 0 };
	for (size_t t = 0; fit >= 0 && t < facts->n_threads; t++) {
		const struct rd_thread_status *th = &facts->threads[t];
		rd_buf_reset(&entry);
		if (kept)
			rd_buf_ch(&entry, ',');
		rd_buf_ch(&entry, '[');
		rd_js_json_cstr(&entry, th->name);
		rd_buf_ch(&entry, ',');
		rd_js_json_cstr(&entry, th->state);
		rd_buf_ch(&entry, ',');
		rd_js_number(&entry, rd_wire_percent(th->cpu));
		rd_buf_ch(&entry, ']');
		if (size + entry.len > limit)
			break;
		rd_buf_add(out, entry.p, entry.len);
		size += entry.len;
		kept++;
	}
	rd_buf_add(out, tail.p, tail.len);
	int ok = rd_buf_ok(&head) && rd_buf_ok(&tail) && rd_buf_ok(&entry) && rd_buf_ok(out);
	rd_buf_free(&head);
	rd_buf_free(&tail);
	rd_buf_free(&entry);
	if (!ok) {
		if (why)
			rd_buf_str(why, "[rpmsg-demo] encoding a status sample: out of memory");
		return RD_STATUS_EENCODE;
	}
	return fit < 0 ? 0 : (int)(facts->n_threads - kept);
}
