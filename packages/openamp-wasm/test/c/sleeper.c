/* Prints, sleeps 10 ms, prints: built with plain clang (no Asyncify) it cannot sleep where it must suspend. */
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	printf("before\n");
	usleep(10000);
	printf("after\n");
	return 0;
}
