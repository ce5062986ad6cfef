/* The native tests' assertion: report the failed condition and exit 1. */
#ifndef V8R_CTEST_CHECK_H
#define V8R_CTEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)                                                                       \
	do {                                                                           \
		if (!(c)) {                                                            \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); \
			exit(1);                                                       \
		}                                                                      \
	} while (0)

#endif
