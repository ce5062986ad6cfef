/* Time, sleep, arguments, environment, random bytes and the exit status, as a WASI guest sees them. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
static long long ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
int main(int argc, char *argv[])
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	const char *who = getenv("WHO");
	printf("WHO=%s\n", who ? who : "(unset)");
	long long t0 = ms(CLOCK_MONOTONIC);
	usleep(250000);
	printf("slept %lld ms\n", ms(CLOCK_MONOTONIC) - t0);
	printf("realtime %lld\n", ms(CLOCK_REALTIME));
	unsigned char r[4];
	if (getentropy(r, sizeof r))
		return 9;
	printf("random %02x%02x%02x%02x\n", r[0], r[1], r[2], r[3]);
	fprintf(stderr, "to stderr\n");
	return argc > 1 ? atoi(argv[1]) : 0;
}
