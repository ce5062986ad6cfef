/* Ends at once with status STATUS (a -D flag; default 0), for the tests of how a run ends. */
#include <stdio.h>

#ifndef STATUS
#define STATUS 0
#endif

int main(void)
{
	printf("exit-status: ending with status %d\n", STATUS);
	return STATUS;
}
