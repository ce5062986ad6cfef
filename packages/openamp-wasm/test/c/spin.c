/* Never waits: the watchdog must stop it. */
#include <stdio.h>
volatile unsigned long spins;
int main(void)
{
	printf("spinning\n");
	for (;;)
		spins++;
}
