/*
 * What the two sides of the matrix-multiply pair share, as OpenAMP's
 * matrix_multiply.h is shared by its pair: the service name, the shutdown
 * word, the matrix and its product.
 */
#ifndef MATRIX_H
#define MATRIX_H

#include <string.h>

#define RPMSG_SERVICE_NAME "rpmsg-openamp-demo-channel"
#define SHUTDOWN_MSG 0xEF56A55AU
#define DIM 6

struct matrix {
	unsigned int size;
	unsigned int e[DIM][DIM];
};

/* r = a * b over the first a->size rows and columns (at most DIM). */
static inline void matrix_multiply(const struct matrix *a, const struct matrix *b, struct matrix *r)
{
	unsigned int n = a->size < DIM ? a->size : DIM;
	memset(r, 0, sizeof(*r));
	r->size = n;
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < n; j++)
			for (unsigned int k = 0; k < n; k++)
				r->e[i][j] += a->e[i][k] * b->e[k][j];
}

#endif
