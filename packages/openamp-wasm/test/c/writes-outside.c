/*
 * Writes a file outside what the guest OS preopened: on Zephyr (no file
 * system) every path, on Linux none (its root filesystem is preopened as /,
 * and /.. is / again). Prints what happened; exits 1 when the write was
 * refused, as a program that needs its file would. Argument: path=FILE
 * (default /tmp/escape.txt); other arguments (the domain's bootargs) are
 * ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[])
{
	const char *path = "/tmp/escape.txt";
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "path=", 5))
			path = argv[i] + 5;
	FILE *f = fopen(path, "w");
	if (!f) {
		printf("writes-outside: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	fputs("escaped\n", f);
	fclose(f);
	printf("writes-outside: wrote %s\n", path);
	return 0;
}
