/*
 * rd_buf: a growable byte buffer for the text the C apps build (messages,
 * the status page, its JSON twin, trace events). Appending never fails
 * visibly: when memory runs out the buffer keeps what it had and remembers
 * the failure (rd_buf_ok() tells), so callers check once at the end.
 */
#ifndef RD_BUF_H
#define RD_BUF_H

#include <stddef.h>

/** A growable buffer; zero-initialise it, free it with rd_buf_free(). */
struct rd_buf {
	char *p;
	size_t len;
	size_t cap;
	int failed; /* an append ran out of memory */
	size_t limit; /* 0: no limit; else appends past it fail */
};

/** Append n bytes. */
void rd_buf_add(struct rd_buf *b, const void *data, size_t n);
/** Append a NUL-terminated string. */
void rd_buf_str(struct rd_buf *b, const char *s);
/** Append one byte. */
void rd_buf_ch(struct rd_buf *b, char c);
/** Append printf-formatted text. */
void rd_buf_printf(struct rd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Forget the contents (keeps the memory). */
void rd_buf_reset(struct rd_buf *b);
/** The contents as a NUL-terminated string (an empty string when nothing was appended). */
const char *rd_buf_cstr(struct rd_buf *b);
/** 1 when every append so far succeeded. */
int rd_buf_ok(const struct rd_buf *b);
/** Release the memory. */
void rd_buf_free(struct rd_buf *b);

#endif
