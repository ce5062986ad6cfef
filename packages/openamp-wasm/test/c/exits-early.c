/* Ends at once, before its peer has done anything: its domain shuts down, the other runs on. */
#include <stdio.h>

int main(void)
{
	printf("exits-early: nothing to do\n");
	return 0;
}
