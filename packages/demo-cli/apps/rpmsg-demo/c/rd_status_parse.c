/*
 * rd_status: the validator (parseStatusSample of status-codec.ts) and the
 * JSON of a validated sample; see rd_status.h. The field table is reached
 * through rd_status_field_spec (rd_status.c holds it).
 */
#include "rd_status.h"

#include <stdio.h>
#include <string.h>
#include "rd_js.h"
#include "rd_json.h"

const char *rd_reject_name(enum rd_reject code)
{
	static const char *const names[] = { "", "too-long", "not-utf8", "not-json", "not-object", "missing-field", "bad-field", "unsupported-version" };
	return names[code];
}

/* The validator's state: the document and where reasons go. */
struct reader {
	struct rd_json_doc *doc;
	struct rd_buf *why;
	enum rd_reject code;
};

static void shown(struct reader *r, const struct rd_json_node *v)
{
	rd_json_stringify(r->why, r->doc, v);
}

static int reject(struct reader *r, enum rd_reject code)
{
	r->code = code;
	return 0;
}

/* count(v, label, min) of status-codec.ts; label is key[ member][ sep]. */
static int count(struct reader *r, const struct rd_json_node *v, const char *key, const char *sep, const char *member, double min, double *out)
{
	if (v->type != RD_JSON_NUMBER || !rd_js_is_safe_integer(v->number) || v->number < 0) {
		rd_buf_printf(r->why, "%s%s%s must be a non-negative integer, got ", key, sep, member);
		shown(r, v);
		return reject(r, RD_REJECT_BAD_FIELD);
	}
	if (v->number < min) {
		rd_buf_printf(r->why, "%s%s%s must be ", key, sep, member);
		if (min == 1)
			rd_buf_str(r->why, "a positive integer");
		else {
			rd_buf_str(r->why, "an integer >= ");
			rd_js_number(r->why, min);
		}
		rd_buf_str(r->why, ", got ");
		rd_js_number(r->why, v->number);
		return reject(r, RD_REJECT_BAD_FIELD);
	}
	*out = v->number;
	return 1;
}

static int percent(struct reader *r, const struct rd_json_node *v, const char *label, double *out)
{
	if (v->type != RD_JSON_NUMBER || v->number != v->number || v->number < 0 || v->number > 100) {
		rd_buf_printf(r->why, "%s must be a number from 0 to 100, got ", label);
		shown(r, v);
		return reject(r, RD_REJECT_BAD_FIELD);
	}
	*out = v->number;
	return 1;
}

static const char *keep(struct rd_sample *s, const char *text, size_t len)
{
	if (s->strings_used + len > sizeof s->strings)
		return NULL;
	char *at = s->strings + s->strings_used;
	memcpy(at, text, len);
	s->strings_used += len;
	return at;
}

static int threads(struct reader *r, const struct rd_json_node *v, const char *key, struct rd_sample *s)
{
	if (v->type != RD_JSON_ARRAY) {
		rd_buf_printf(r->why, "%s must be an array", key);
		return reject(r, RD_REJECT_BAD_FIELD);
	}
	size_t i = 0;
	for (const struct rd_json_node *e = rd_json_at(r->doc, v, 0); e; e = rd_json_next(r->doc, e), i++) {
		const struct rd_json_node *name = rd_json_at(r->doc, e, 0), *state = rd_json_at(r->doc, e, 1), *cpu = rd_json_at(r->doc, e, 2);
		if (e->type != RD_JSON_ARRAY || e->count < 3) {
			rd_buf_printf(r->why, "%s[%zu] must be [name, state, cpu%%]", key, i);
			return reject(r, RD_REJECT_BAD_FIELD);
		}
		if (name->type != RD_JSON_STRING || state->type != RD_JSON_STRING) {
			rd_buf_printf(r->why, "%s[%zu] name and state must be strings", key, i);
			return reject(r, RD_REJECT_BAD_FIELD);
		}
		char label[64];
		snprintf(label, sizeof label, "%s[%zu] cpu", key, i);
		struct rd_thread t = { 0 };
		if (!percent(r, cpu, label, &t.cpu))
			return 0;
		if (i >= RD_MAX_THREADS)
			continue; /* cannot happen within 496 bytes */
		t.name = keep(s, name->str, name->len);
		t.name_len = name->len;
		t.state = keep(s, state->str, state->len);
		t.state_len = state->len;
		s->threads[s->n_threads++] = t;
	}
	return 1;
}

static int is_hex8(const struct rd_json_node *v)
{
	if (v->type != RD_JSON_STRING || v->len != 8)
		return 0;
	for (size_t i = 0; i < 8; i++) {
		char c = v->str[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

static int read_field(struct reader *r, int i, const struct rd_json_node *v, struct rd_sample *s)
{
	const struct rd_field *f = rd_status_field_spec(i);
	switch (f->kind) {
	case RD_KIND_VERSION:
		if (v->type != RD_JSON_NUMBER || v->number != RD_PROTOCOL_VERSION) {
			rd_buf_str(r->why, "sample has protocol version ");
			shown(r, v);
			rd_buf_printf(r->why, ", this reader understands %d", RD_PROTOCOL_VERSION);
			return reject(r, v->type == RD_JSON_NUMBER ? RD_REJECT_UNSUPPORTED_VERSION : RD_REJECT_BAD_FIELD);
		}
		s->num[i] = v->number;
		return 1;
	case RD_KIND_UINT:
		return count(r, v, f->key, "", "", f->min, &s->num[i]);
	case RD_KIND_HEX8:
		if (!is_hex8(v)) {
			rd_buf_printf(r->why, "%s must be 8 hex digits, got ", f->key);
			shown(r, v);
			return reject(r, RD_REJECT_BAD_FIELD);
		}
		for (size_t k = 0; k < 8; k++)
			s->hex[i][k] = (char)(v->str[k] >= 'A' && v->str[k] <= 'F' ? v->str[k] - 'A' + 'a' : v->str[k]);
		s->hex[i][8] = '\0';
		return 1;
	case RD_KIND_PERCENT:
		return percent(r, v, f->key, &s->num[i]);
	case RD_KIND_THREADS:
		return threads(r, v, f->key, s);
	case RD_KIND_PAIR:
		if (v->type != RD_JSON_ARRAY || v->count != f->n_members) {
			rd_buf_printf(r->why, "%s must be [", f->key);
			for (size_t m = 0; m < f->n_members; m++)
				rd_buf_printf(r->why, "%s%s", m ? ", " : "", f->members[m].name);
			rd_buf_ch(r->why, ']');
			return reject(r, RD_REJECT_BAD_FIELD);
		}
		for (size_t m = 0; m < f->n_members; m++)
			if (!count(r, rd_json_at(r->doc, v, m), f->key, " ", f->members[m].name, 0, &s->members[i][m]))
				return 0;
		return 1;
	case RD_KIND_COUNTERS:
		if (v->type != RD_JSON_OBJECT) {
			rd_buf_printf(r->why, "%s must be an object", f->key);
			return reject(r, RD_REJECT_BAD_FIELD);
		}
		for (size_t m = 0; m < f->n_members; m++) {
			const struct rd_json_node *c = rd_json_get(r->doc, v, f->members[m].name);
			s->members[i][m] = 0;
			if (c && !count(r, c, f->key, ".", f->members[m].name, 0, &s->members[i][m]))
				return 0;
		}
		return 1;
	}
	return 0;
}

static struct rd_json_doc doc;

enum rd_reject rd_status_parse(const uint8_t *bytes, size_t len, struct rd_sample *s, struct rd_buf *why)
{
	memset(s, 0, sizeof *s);
	switch (rd_json_read_object(&doc, bytes, len, RD_STATUS_MAX_BYTES)) {
	case RD_JSON_TOO_LONG:
		rd_buf_printf(why, "sample is %zu bytes, more than %d", len, RD_STATUS_MAX_BYTES);
		return RD_REJECT_TOO_LONG;
	case RD_JSON_NOT_UTF8:
		rd_buf_str(why, "sample is not valid UTF-8");
		return RD_REJECT_NOT_UTF8;
	case RD_JSON_NOT_JSON: {
		struct rd_buf text = { 0 };
		const char *t = (const char *)doc.text;
		if (rd_js_utf16_len(t, doc.text_len) > 40) {
			rd_js_utf16_prefix(&text, t, doc.text_len, 40);
			rd_buf_str(&text, "\xe2\x80\xa6");
		} else
			rd_buf_add(&text, t, doc.text_len);
		rd_buf_str(why, "sample is not valid JSON: ");
		rd_js_json_string(why, text.p ? text.p : "", text.len);
		rd_buf_free(&text);
		return RD_REJECT_NOT_JSON;
	}
	case RD_JSON_NOT_OBJECT:
		rd_buf_str(why, "sample is not a JSON object");
		return RD_REJECT_NOT_OBJECT;
	case RD_JSON_OK:
		break;
	}
	const struct rd_json_node *root = &doc.nodes[0];
	for (int i = 0; i < RD_STATUS_FIELD_COUNT; i++) {
		if (rd_status_field_spec(i)->required && !rd_json_get(&doc, root, rd_status_field_spec(i)->key)) {
			rd_buf_printf(why, "sample lacks the required field \"%s\"", rd_status_field_spec(i)->key);
			return RD_REJECT_MISSING_FIELD;
		}
	}
	struct reader r = { &doc, why, RD_REJECT_NONE };
	for (int i = 0; i < RD_STATUS_FIELD_COUNT; i++) {
		const struct rd_json_node *v = rd_json_get(&doc, root, rd_status_field_spec(i)->key);
		if (!v)
			continue;
		if (!read_field(&r, i, v, s))
			return r.code;
		s->present[i] = 1;
	}
	return RD_REJECT_NONE;
}

void rd_status_sample_json(struct rd_buf *out, const struct rd_sample *s)
{
	int first = 1;
	rd_buf_ch(out, '{');
	for (int i = 0; i < RD_STATUS_FIELD_COUNT; i++) {
		const struct rd_field *f = rd_status_field_spec(i);
		if (!s->present[i])
			continue;
		if (!first)
			rd_buf_ch(out, ',');
		first = 0;
		rd_js_json_cstr(out, f->key);
		rd_buf_ch(out, ':');
		switch (f->kind) {
		case RD_KIND_VERSION:
		case RD_KIND_UINT:
		case RD_KIND_PERCENT:
			rd_js_number(out, s->num[i]);
			break;
		case RD_KIND_HEX8:
			rd_js_json_cstr(out, s->hex[i]);
			break;
		case RD_KIND_THREADS:
			rd_buf_ch(out, '[');
			for (size_t t = 0; t < s->n_threads; t++) {
				const struct rd_thread *th = &s->threads[t];
				rd_buf_str(out, t ? ",{\"name\":" : "{\"name\":");
				rd_js_json_string(out, th->name, th->name_len);
				rd_buf_str(out, ",\"state\":");
				rd_js_json_string(out, th->state, th->state_len);
				rd_buf_str(out, ",\"cpu\":");
				rd_js_number(out, th->cpu);
				rd_buf_ch(out, '}');
			}
			rd_buf_ch(out, ']');
			break;
		case RD_KIND_PAIR:
		case RD_KIND_COUNTERS:
			rd_buf_ch(out, '{');
			for (size_t m = 0; m < f->n_members; m++) {
				if (m)
					rd_buf_ch(out, ',');
				rd_js_json_cstr(out, f->members[m].name);
				rd_buf_ch(out, ':');
				rd_js_number(out, s->members[i][m]);
			}
			rd_buf_ch(out, '}');
			break;
		}
	}
	rd_buf_ch(out, '}');
}
