/* Traps in a named function after printing a line. */
#include <stdio.h>
__attribute__((noinline)) static void broken_function(int x)
{
	if (x > 0)
		__builtin_trap();
}
int main(int argc, char *argv[])
{
	(void)argv;
	printf("about to trap\n");
	fflush(stdout);
	broken_function(argc);
	return 0;
}
