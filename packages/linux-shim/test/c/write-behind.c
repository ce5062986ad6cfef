/*
 * What a C program sees of the Linux root filesystem's write-behind (the
 * page cache without a background write-back: each call that changes a
 * file waits for its write-back): a file created in memory at open is there
 * for every other call before it is closed, fsync and close write it and
 * report a failed write with an errno, and close releases the descriptor
 * even then. The host side (the test)
 * fails writes of files named "*.fail" and records the calls; a stat of
 * "/mark/start" and "/mark/end" marks the publishing loop in that record.
 * Prints one line per check; exits with the number of failures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "checks.h"

#define DIR_ "/srv/www"

static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int listed(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	int seen = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		seen += strcmp(e->d_name, name) == 0;
	if (d)
		closedir(d);
	return seen;
}

int main(void)
{
	check(mkdir("/srv", 0755) == 0 && mkdir(DIR_, 0755) == 0, "mkdir " DIR_);
	check(write_text(DIR_ "/first", "1", "w") == 0, "a first file");

	/* created in memory at open: every call that names it finds it */
	int fd = open(DIR_ "/open", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && write(fd, "abc", 3) == 3, "open a new file and write to it");
	check(size_of(DIR_ "/open") == 3, "stat before close: there, with what was written");
	check(listed(DIR_, "open") == 1, "readdir before close lists it");
	check(write(fd, "de", 2) == 2 && fsync(fd) == 0 && size_of(DIR_ "/open") == 5, "fsync writes it");
	check(close(fd) == 0, "close");

	fd = open(DIR_ "/empty", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && close(fd) == 0 && size_of(DIR_ "/empty") == 0, "a file created and closed unwritten exists, empty");

	fd = open(DIR_ "/moved", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && write(fd, "xy", 2) == 2 && rename(DIR_ "/moved", DIR_ "/there") == 0, "rename a file still open");
	check(size_of(DIR_ "/there") == 2 && access(DIR_ "/moved", F_OK) != 0, "the rename took what was written");
	close(fd);

	check(open(DIR_ "/first", O_WRONLY | O_CREAT | O_EXCL, 0644) < 0 && errno == EEXIST, "O_EXCL of an existing file: EEXIST");
	check(write_text(DIR_, "x", "w") != 0 && errno == EISDIR, "a directory opened for writing: EISDIR");

	/* a failed write-back: the errno from fsync, once (as Linux reports it), and the descriptor closes */
	fd = open(DIR_ "/x.fail", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && write(fd, "lost", 4) == 4, "open a file the host will refuse to write");
	check(fsync(fd) != 0 && errno == EIO, "fsync reports the failed write: EIO");
	check(fsync(fd) == 0, "a second fsync has nothing to report");
	check(write(fd, "again", 5) == 5 && close(fd) != 0 && errno == EIO, "close of a file written again reports its failed write-back (no background write-back: close waits for it)");
	check(close(fd) != 0 && errno == EBADF, "and released the descriptor: EBADF");

	access("/mark/start", F_OK);
	for (int i = 0; i < 5; i++) {
		char text[32];
		snprintf(text, sizeof text, "<p>%d</p>\n", i);
		int ok = write_text(DIR_ "/.page.tmp", text, "w") == 0 && rename(DIR_ "/.page.tmp", DIR_ "/page.html") == 0;
		check(ok, "publish a page");
	}
	access("/mark/end", F_OK);
	check(rmdir("/srv") != 0 && errno == ENOTEMPTY, "rmdir of a full directory: ENOTEMPTY");
	return failures;
}
