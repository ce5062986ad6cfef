/*
 * What a C program sees of the page cache with its write-back in the
 * background: close and rename return before the file system has the file,
 * reads find the latest content, fsync waits for the write-back and reports
 * a failed one. The host side (the test) holds its writes back until the
 * program says "MARK published" and again from "MARK exiting" until it exited, and
 * fails writes of files named "*.fail". Prints one line per check; exits
 * with the number of failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "checks.h"

#define DIR_ "/srv/www"

static int publish(const char *text)
{
	return write_text(DIR_ "/.page.tmp", text, "w") == 0 && rename(DIR_ "/.page.tmp", DIR_ "/page.html") == 0 ? 0 : -1;
}

static int reads(const char *path, const char *want)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strcmp(buf, want) == 0;
}

int main(void)
{
	check(mkdir("/srv", 0755) == 0 && mkdir(DIR_, 0755) == 0, "mkdir " DIR_);
	int ok = 1;
	for (int i = 0; i < 10; i++) {
		char text[32];
		snprintf(text, sizeof text, "<p>%d</p>\n", i);
		ok &= publish(text) == 0;
		if (i == 0)
			sched_yield(); /* the write-back takes the first page now, and waits for the host */
	}
	check(ok, "ten pages published (close and rename do not wait for the file system)");
	check(reads(DIR_ "/page.html", "<p>9</p>\n"), "the page reads as the latest one");
	check(fopen(DIR_ "/.page.tmp", "r") == NULL && errno == ENOENT, "the temporary file is gone");
	printf("MARK published\n");
	fflush(stdout);

	int fd = open(DIR_ "/x.fail", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && write(fd, "lost", 4) == 4, "open a file the host will refuse to write");
	check(fsync(fd) != 0 && errno == EIO, "fsync reports the failed write-back: EIO");
	check(fsync(fd) == 0, "once");
	check(close(fd) == 0, "close");
	check(write_text(DIR_ "/y.fail", "lost too", "w") == 0, "close of another one the host refuses: 0 (the kernel log tells)");
	fd = open(DIR_ "/page.html", O_RDONLY);
	check(fd >= 0 && fsync(fd) == 0 && close(fd) == 0, "fsync of the page: written back, no error of its own");

	printf("MARK exiting\n");
	fflush(stdout);
	check(write_text(DIR_ "/.last.tmp", "last", "w") == 0 && rename(DIR_ "/.last.tmp", DIR_ "/last") == 0, "a last file, left for the write-back at exit");
	return failures;
}
