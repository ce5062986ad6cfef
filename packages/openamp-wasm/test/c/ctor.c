/* A constructor runs once, however often the program suspends (a regression: exports re-ran constructors). */
#include <stdio.h>
#include <unistd.h>
static int runs;
__attribute__((constructor)) static void init(void)
{
	runs++;
	printf("constructor\n");
}
int main(void)
{
	usleep(1000);
	usleep(1000);
	printf("constructor ran %d time(s)\n", runs);
	return 0;
}
