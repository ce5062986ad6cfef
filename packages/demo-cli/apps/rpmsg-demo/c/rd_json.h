/*
 * rd_json: reading one protocol message as JavaScript reads it, so the C apps
 * accept and refuse exactly what the TypeScript ones do: UTF-8 decoded
 * strictly (a leading byte order mark dropped, as TextDecoder does), then
 * JSON.parse's grammar and values (numbers are doubles, a repeated key keeps
 * its last value). Strings are kept as WTF-8: UTF-8 in which an unpaired
 * surrogate from a \u escape is a 3-byte sequence, as a JavaScript string can
 * hold one. Nodes live in a fixed pool: no allocation.
 */
#ifndef RD_JSON_H
#define RD_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "rd_buf.h"

/** Largest text a document holds, bytes (every protocol message is at most 496; the remote's saved counters, history.json, stay under 3 KiB). */
#ifndef RD_JSON_MAX_TEXT
#define RD_JSON_MAX_TEXT 4096
#endif
/** Most values in one document. */
#ifndef RD_JSON_MAX_NODES
#define RD_JSON_MAX_NODES 600
#endif

enum rd_json_type { RD_JSON_NULL, RD_JSON_FALSE, RD_JSON_TRUE, RD_JSON_NUMBER, RD_JSON_STRING, RD_JSON_ARRAY, RD_JSON_OBJECT };

/** One value; children of an array or object are linked through next. */
struct rd_json_node {
	enum rd_json_type type;
	double number;
	const char *str; /* string value (WTF-8, in the document's arena) */
	size_t len;
	const char *key; /* key when the node is an object member */
	size_t key_len;
	int first;       /* first child, -1 */
	int next;        /* next sibling, -1 */
	size_t count;    /* children */
};

/** Why a message could not be read (the TypeScript JsonMessageProblem). */
enum rd_json_status { RD_JSON_OK = 0, RD_JSON_TOO_LONG = -1, RD_JSON_NOT_UTF8 = -2, RD_JSON_NOT_JSON = -3, RD_JSON_NOT_OBJECT = -4 };

/** A parsed document. */
struct rd_json_doc {
	struct rd_json_node nodes[RD_JSON_MAX_NODES];
	size_t n;
	char arena[RD_JSON_MAX_TEXT];
	size_t used;
	const uint8_t *text; /* the decoded text (the input after a byte order mark) */
	size_t text_len;
};

/**
 * Read bytes (at most limit) as UTF-8 JSON holding an object, as the
 * protocol's readJsonMessage does; the root is node 0. Returns RD_JSON_OK or
 * the problem; doc->text is set whenever the bytes were UTF-8.
 */
enum rd_json_status rd_json_read_object(struct rd_json_doc *doc, const uint8_t *bytes, size_t len, size_t limit);

/** Whether bytes are strict UTF-8 (what TextDecoder with fatal: true accepts). */
int rd_utf8_valid(const uint8_t *s, size_t len);

/** The node of object member key (its last occurrence), or NULL. */
const struct rd_json_node *rd_json_get(const struct rd_json_doc *doc, const struct rd_json_node *obj, const char *key);
/** Child i of an array, or NULL. */
const struct rd_json_node *rd_json_at(const struct rd_json_doc *doc, const struct rd_json_node *arr, size_t i);
/** The node after n among its siblings, or NULL. */
const struct rd_json_node *rd_json_next(const struct rd_json_doc *doc, const struct rd_json_node *n);

/** Append JSON.stringify(value) of a parsed value (JavaScript's property order: array-index keys first). */
void rd_json_stringify(struct rd_buf *out, const struct rd_json_doc *doc, const struct rd_json_node *n);

#endif
