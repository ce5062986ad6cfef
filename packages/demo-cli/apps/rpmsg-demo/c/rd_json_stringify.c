/* rd_json: JSON.stringify of a parsed value (see rd_json.h). */
#include "rd_json.h"

#include <stdlib.h>
#include <string.h>
#include "rd_js.h"

/* The array index a key names (JavaScript orders these keys first, ascending), or -1. */
static long long array_index(const char *key, size_t len)
{
	if (len == 0 || len > 10 || (len > 1 && key[0] == '0'))
		return -1;
	long long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (key[i] < '0' || key[i] > '9')
			return -1;
		v = v * 10 + (key[i] - '0');
	}
	return v <= 4294967294LL ? v : -1;
}

struct member {
	const struct rd_json_node *first; /* first occurrence: its place */
	const struct rd_json_node *value; /* last occurrence: its value */
	long long index;
};

static int by_index(const void *a, const void *b)
{
	long long x = ((const struct member *)a)->index, y = ((const struct member *)b)->index;
	return x < y ? -1 : x > y;
}

static void stringify_object(struct rd_buf *out, const struct rd_json_doc *doc, const struct rd_json_node *n)
{
	struct member *m = calloc(n->count ? n->count : 1, sizeof *m);
	if (!m) {
		out->failed = 1;
		return;
	}
	size_t count = 0, indexed = 0;
	for (const struct rd_json_node *c = n->first < 0 ? NULL : &doc->nodes[n->first]; c; c = rd_json_next(doc, c)) {
		size_t i = 0;
		while (i < count && !(m[i].first->key_len == c->key_len && !memcmp(m[i].first->key, c->key, c->key_len)))
			i++;
		if (i == count) {
			m[count].first = c;
			m[count].index = array_index(c->key, c->key_len);
			indexed += m[count].index >= 0;
			count++;
		}
		m[i].value = c;
	}
	/* array-index keys first, ascending; then the others in the order they first appeared (a stable partition) */
	struct member *ordered = calloc(count ? count : 1, sizeof *ordered);
	if (!ordered) {
		free(m);
		out->failed = 1;
		return;
	}
	size_t a = 0, b = indexed;
	for (size_t i = 0; i < count; i++)
		ordered[m[i].index >= 0 ? a++ : b++] = m[i];
	qsort(ordered, indexed, sizeof *ordered, by_index);
	rd_buf_ch(out, '{');
	for (size_t i = 0; i < count; i++) {
		if (i)
			rd_buf_ch(out, ',');
		rd_js_json_string(out, ordered[i].first->key, ordered[i].first->key_len);
		rd_buf_ch(out, ':');
		rd_json_stringify(out, doc, ordered[i].value);
	}
	rd_buf_ch(out, '}');
	free(ordered);
	free(m);
}

void rd_json_stringify(struct rd_buf *out, const struct rd_json_doc *doc, const struct rd_json_node *n)
{
	switch (n->type) {
	case RD_JSON_NULL: rd_buf_str(out, "null"); return;
	case RD_JSON_FALSE: rd_buf_str(out, "false"); return;
	case RD_JSON_TRUE: rd_buf_str(out, "true"); return;
	case RD_JSON_NUMBER:
		if (n->number != n->number || n->number - n->number != 0)
			rd_buf_str(out, "null"); /* JSON.stringify of Infinity */
		else
			rd_js_number(out, n->number);
		return;
	case RD_JSON_STRING: rd_js_json_string(out, n->str, n->len); return;
	case RD_JSON_ARRAY:
		rd_buf_ch(out, '[');
		for (const struct rd_json_node *c = n->first < 0 ? NULL : &doc->nodes[n->first]; c; c = rd_json_next(doc, c)) {
			if (c != &doc->nodes[n->first])
				rd_buf_ch(out, ',');
			rd_json_stringify(out, doc, c);
		}
		rd_buf_ch(out, ']');
		return;
	case RD_JSON_OBJECT: stringify_object(out, doc, n); return;
	}
}
