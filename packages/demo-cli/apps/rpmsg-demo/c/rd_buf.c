/* rd_buf: see rd_buf.h. */
#include "rd_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(struct rd_buf *b, size_t extra)
{
	if (b->failed)
		return 0;
	if (extra > (size_t)-1 / 2 - b->len - 1 || (b->limit && b->len + extra > b->limit)) {
		b->failed = 1;
		return 0;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 1;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return 0;
	}
	b->p = p;
	b->cap = cap;
	return 1;
}

void rd_buf_add(struct rd_buf *b, const void *data, size_t n)
{
	if (!grow(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void rd_buf_str(struct rd_buf *b, const char *s)
{
	rd_buf_add(b, s, strlen(s));
}

void rd_buf_ch(struct rd_buf *b, char c)
{
	rd_buf_add(b, &c, 1);
}

void rd_buf_printf(struct rd_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void rd_buf_reset(struct rd_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->p)
		b->p[0] = '\0';
}

const char *rd_buf_cstr(struct rd_buf *b)
{
	return b->p ? b->p : "";
}

int rd_buf_ok(const struct rd_buf *b)
{
	return !b->failed;
}

void rd_buf_free(struct rd_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
