/* rd_json: reading a message (UTF-8, JSON.parse's grammar) and walking it; see rd_json.h. */
#include "rd_json.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512

int rd_utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint8_t c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint8_t lo = 0x80, hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f; /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (i + n > len)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += n;
	}
	return 1;
}

struct parser {
	struct rd_json_doc *doc;
	const uint8_t *p;
	const uint8_t *end;
	int depth;
};

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int new_node(struct parser *ps, enum rd_json_type type)
{
	struct rd_json_doc *d = ps->doc;
	if (d->n >= RD_JSON_MAX_NODES)
		return -1;
	struct rd_json_node *n = &d->nodes[d->n];
	memset(n, 0, sizeof *n);
	n->type = type;
	n->first = n->next = -1;
	return (int)d->n++;
}

static int arena_put(struct parser *ps, const void *data, size_t len)
{
	struct rd_json_doc *d = ps->doc;
	if (d->used + len > sizeof d->arena)
		return -1;
	memcpy(d->arena + d->used, data, len);
	d->used += len;
	return 0;
}

static int put_code_point(struct parser *ps, unsigned cp)
{
	uint8_t b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | (cp >> 6));
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | (cp >> 12));
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | (cp >> 18));
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return arena_put(ps, b, n);
}

static int hex4(const uint8_t *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A \u escape at ps->p (after the backslash and u); pairs a high surrogate with a following low one. */
static int unicode_escape(struct parser *ps)
{
	unsigned cp;
	if (ps->end - ps->p < 4 || hex4(ps->p, &cp))
		return -1;
	ps->p += 4;
	if (cp >= 0xd800 && cp <= 0xdbff && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
		unsigned lo;
		if (!hex4(ps->p + 2, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
			ps->p += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
	}
	return put_code_point(ps, cp);
}

/* A string at ps->p (the opening quote); its text goes to the arena. */
static int parse_string(struct parser *ps, const char **str, size_t *len)
{
	ps->p++;
	size_t start = ps->doc->used;
	for (;;) {
		if (ps->p >= ps->end)
			return -1;
		uint8_t c = *ps->p;
		if (c == '"') {
			ps->p++;
			break;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			const uint8_t *run = ps->p;
			while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && *ps->p >= 0x20)
				ps->p++;
			if (arena_put(ps, run, (size_t)(ps->p - run)))
				return -1;
			continue;
		}
		if (++ps->p >= ps->end)
			return -1;
		c = *ps->p++;
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *hit = c ? strchr(from, c) : NULL;
		if (hit) {
			if (arena_put(ps, &to[hit - from], 1))
				return -1;
		} else if (c != 'u' || unicode_escape(ps))
			return -1;
	}
	*str = ps->doc->arena + start;
	*len = ps->doc->used - start;
	return 0;
}

static int digits(struct parser *ps)
{
	const uint8_t *s = ps->p;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > s ? 0 : -1;
}

static int parse_number(struct parser *ps, double *out)
{
	const uint8_t *s = ps->p;
	if (*ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (digits(ps))
		return -1;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (digits(ps))
			return -1;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (digits(ps))
			return -1;
	}
	char tmp[RD_JSON_MAX_TEXT + 1];
	size_t n = (size_t)(ps->p - s);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*out = strtod(tmp, NULL);
	return 0;
}

static int parse_value(struct parser *ps);

static int literal(struct parser *ps, const char *word, enum rd_json_type type)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return -1;
	ps->p += n;
	return new_node(ps, type);
}

/* The elements or members of an array or object at ps->p (its opening bracket). */
static int parse_container(struct parser *ps, enum rd_json_type type)
{
	int self = new_node(ps, type);
	if (self < 0 || ++ps->depth > MAX_DEPTH)
		return -1;
	char close = type == RD_JSON_ARRAY ? ']' : '}';
	ps->p++;
	skip_ws(ps);
	int last = -1;
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return self;
	}
	for (;;) {
		const char *key = NULL;
		size_t key_len = 0;
		if (type == RD_JSON_OBJECT) {
			if (ps->p >= ps->end || *ps->p != '"' || parse_string(ps, &key, &key_len))
				return -1;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return -1;
			ps->p++;
		}
		int child = parse_value(ps);
		if (child < 0)
			return -1;
		struct rd_json_node *c = &ps->doc->nodes[child];
		c->key = key;
		c->key_len = key_len;
		if (last < 0)
			ps->doc->nodes[self].first = child;
		else
			ps->doc->nodes[last].next = child;
		last = child;
		ps->doc->nodes[self].count++;
		skip_ws(ps);
		if (ps->p >= ps->end)
			return -1;
		if (*ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		if (*ps->p != close)
			return -1;
		ps->p++;
		ps->depth--;
		return self;
	}
}

static int parse_value(struct parser *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return -1;
	switch (*ps->p) {
	case '{':
		return parse_container(ps, RD_JSON_OBJECT);
	case '[':
		return parse_container(ps, RD_JSON_ARRAY);
	case '"': {
		int n = new_node(ps, RD_JSON_STRING);
		if (n < 0)
			return -1;
		const char *s;
		size_t len;
		if (parse_string(ps, &s, &len))
			return -1;
		ps->doc->nodes[n].str = s;
		ps->doc->nodes[n].len = len;
		return n;
	}
	case 't':
		return literal(ps, "true", RD_JSON_TRUE);
	case 'f':
		return literal(ps, "false", RD_JSON_FALSE);
	case 'n':
		return literal(ps, "null", RD_JSON_NULL);
	default: {
		if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9'))
			return -1;
		int n = new_node(ps, RD_JSON_NUMBER);
		if (n < 0 || parse_number(ps, &ps->doc->nodes[n].number))
			return -1;
		return n;
	}
	}
}

enum rd_json_status rd_json_read_object(struct rd_json_doc *doc, const uint8_t *bytes, size_t len, size_t limit)
{
	doc->n = 0;
	doc->used = 0;
	doc->text = NULL;
	doc->text_len = 0;
	if (len > limit)
		return RD_JSON_TOO_LONG;
	if (!rd_utf8_valid(bytes, len))
		return RD_JSON_NOT_UTF8;
	if (len >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf) {
		bytes += 3;
		len -= 3;
	}
	doc->text = bytes;
	doc->text_len = len;
	if (len > RD_JSON_MAX_TEXT)
		return RD_JSON_NOT_JSON;
	struct parser ps = { doc, bytes, bytes + len, 0 };
	int root = parse_value(&ps);
	skip_ws(&ps);
	if (root < 0 || ps.p != ps.end)
		return RD_JSON_NOT_JSON;
	return doc->nodes[root].type == RD_JSON_OBJECT ? RD_JSON_OK : RD_JSON_NOT_OBJECT;
}

const struct rd_json_node *rd_json_next(const struct rd_json_doc *doc, const struct rd_json_node *n)
{
	return n->next < 0 ? NULL : &doc->nodes[n->next];
}

const struct rd_json_node *rd_json_get(const struct rd_json_doc *doc, const struct rd_json_node *obj, const char *key)
{
	if (!obj || obj->type != RD_JSON_OBJECT)
		return NULL;
	size_t klen = strlen(key);
	const struct rd_json_node *hit = NULL;
	for (const struct rd_json_node *c = obj->first < 0 ? NULL : &doc->nodes[obj->first]; c; c = rd_json_next(doc, c))
		if (c->key_len == klen && !memcmp(c->key, key, klen))
			hit = c;
	return hit;
}

const struct rd_json_node *rd_json_at(const struct rd_json_doc *doc, const struct rd_json_node *arr, size_t i)
{
	if (!arr || arr->type != RD_JSON_ARRAY || i >= arr->count)
		return NULL;
	const struct rd_json_node *c = &doc->nodes[arr->first];
	while (i-- > 0)
		c = rd_json_next(doc, c);
	return c;
}
