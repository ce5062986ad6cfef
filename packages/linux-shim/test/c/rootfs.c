/*
 * What a C program on the Linux guest does with the root filesystem: write a
 * page atomically (temporary file, then rename), read it back, append, list a
 * directory, make and remove directories, stat, and get the errors POSIX
 * promises. Prints one line per check; exits with the number of failures.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "checks.h"

#define HTML "/usr/share/nginx/html"

static int read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
	fclose(f);
	return (int)n;
}

int main(void)
{
	char buf[256];
	check(write_text(HTML "/.status.tmp", "<p>from C</p>\n", "w") == 0, "write a temporary file");
	check(rename(HTML "/.status.tmp", HTML "/zephyr-status.html") == 0, "rename it over the page");
	check(read_file(HTML "/zephyr-status.html", buf, sizeof buf) == 14 && strcmp(buf, "<p>from C</p>\n") == 0, "read the page back");
	check(access(HTML "/.status.tmp", F_OK) != 0 && errno == ENOENT, "the temporary file is gone");
	check(write_text(HTML "/zephyr-status.html", "<p>more</p>\n", "a") == 0, "append");
	check(read_file(HTML "/zephyr-status.html", buf, sizeof buf) == 26, "the page has both lines");
	struct stat st;
	check(stat(HTML "/zephyr-status.html", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 26, "stat: a 26-byte file");
	check(stat(HTML, &st) == 0 && S_ISDIR(st.st_mode), "stat: a directory");
	check(mkdir("/tmp", 0755) == 0 || errno == EEXIST, "mkdir /tmp");
	check(mkdir("/tmp/d", 0755) == 0, "mkdir /tmp/d");
	check(mkdir("/tmp/d", 0755) != 0 && errno == EEXIST, "mkdir again: EEXIST");
	check(write_text("/tmp/d/f", "x", "w") == 0, "a file in it");
	check(rmdir("/tmp/d") != 0 && errno == ENOTEMPTY, "rmdir of a full directory: ENOTEMPTY");
	check(unlink("/tmp/d/f") == 0 && rmdir("/tmp/d") == 0, "unlink and rmdir");
	DIR *d = opendir(HTML);
	int seen = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		seen += strcmp(e->d_name, "zephyr-status.html") == 0;
	if (d)
		closedir(d);
	check(seen == 1, "readdir lists the page");
	check(fopen("/no/such/file", "r") == NULL && errno == ENOENT, "open of a missing file: ENOENT");
	check(fopen(HTML "/zephyr-status.html/x", "w") == NULL && errno == ENOTDIR, "a file used as a directory: ENOTDIR");
	check(fopen("/no/such/dir/file", "w") == NULL && errno == ENOENT, "a new file in a missing directory: ENOENT");
	check(fopen(HTML, "w") == NULL && errno == EISDIR, "a directory opened for writing: EISDIR");
	check(fopen("/proc/v8r-test", "w") == NULL && errno == EACCES, "the kernel's /proc is read-only: EACCES");
	check(read_file("/proc/cmdline", buf, sizeof buf) > 0, "read /proc/cmdline");
	check(write_text("/../../escape.txt", "up", "w") == 0 && access("/escape.txt", F_OK) == 0, "/.. stays at /");
	return failures;
}
