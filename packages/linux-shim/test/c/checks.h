/*
 * The few helpers the root-filesystem test programs share: one "ok"/"FAIL"
 * line per check (the program exits with the number of failures), and
 * writing a whole text file through stdio.
 */
#ifndef V8R_TEST_CHECKS_H
#define V8R_TEST_CHECKS_H
#include <stdio.h>

static int failures;

static inline void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

/* Write `text` to `path` opened with `mode` ("w" or "a"); 0 or -1. */
static inline int write_text(const char *path, const char *text, const char *mode)
{
	FILE *f = fopen(path, mode);
	if (!f)
		return -1;
	int n = fputs(text, f);
	return fclose(f) == 0 && n >= 0 ? 0 : -1;
}
#endif
