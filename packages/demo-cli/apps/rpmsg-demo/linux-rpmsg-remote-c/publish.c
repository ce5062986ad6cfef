/*
 * rpmsg-remote in C: the status files zephyr-status.html and
 * zephyr-status.json in the web server's document root, each replaced
 * atomically (write a temporary file in the same directory, then rename it
 * over the file), so a reader sees the old file or the new one, never a
 * partial or missing one. Through WASI: the guest OS preopens the Linux root
 * filesystem. While no sample comes the files are written again every
 * sampling period (../linux-rpmsg-remote/_rewrite-while-silent.ts), so their
 * "last update ... ago" and stale mark stay true for readers without
 * JavaScript and for programs reading the JSON.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, mkdir */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "remote.h"
#include "status_page.h"

#define STATUS_DIR "/usr/share/nginx/html"
#define HTML_NAME "zephyr-status.html"
#define JSON_NAME "zephyr-status.json"
#define REFRESH_SECONDS 1

int remote_make_dirs(const char *path)
{
	char p[256];
	size_t n = strlen(path);
	if (n >= sizeof p)
		return ENAMETOOLONG;
	memcpy(p, path, n + 1);
	for (char *c = p + 1;; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		char keep = *c;
		*c = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return errno;
		*c = keep;
		if (!keep)
			return 0;
	}
}

int remote_write_atomic(const char *dir, const char *name, const struct rd_buf *text)
{
	char tmp[256], target[256];
	snprintf(target, sizeof target, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return errno;
	size_t n = fwrite(text->p ? text->p : "", 1, text->len, f);
	int err = n == text->len ? 0 : errno ? errno : EIO;
	if (fclose(f) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, target) != 0)
		err = errno;
	if (err)
		remove(tmp);
	return err;
}

int remote_publish_init(struct remote *r)
{
	int err = remote_make_dirs(STATUS_DIR);
	if (err) {
		remote_log("cannot make %s: %s", STATUS_DIR, strerror(err));
		return -1;
	}
	r->written = r->history.revision - 1;
	remote_publish(r);
	return 0;
}

void remote_publish(struct remote *r)
{
	if (r->written == r->history.revision && !r->rewrite_due)
		return;
	struct rd_buf html = { 0 }, json = { 0 };
	status_page_render(&html, &r->history, r->publish_at, REFRESH_SECONDS);
	status_json_render(&json, &r->history, &r->publish_at);
	int err = !rd_buf_ok(&html) || !rd_buf_ok(&json) ? ENOMEM : remote_write_atomic(STATUS_DIR, HTML_NAME, &html);
	if (!err)
		err = remote_write_atomic(STATUS_DIR, JSON_NAME, &json);
	int state_err = err ? 0 : remote_state_save(r);
	rd_buf_free(&html);
	rd_buf_free(&json);
	r->written = r->history.revision;
	r->rewrite_due = 0;
	r->rewrite_at = r->publish_at + status_period_ms(&r->history);
	if (!err && !state_err) {
		r->counters.published++;
		return;
	}
	if (++r->counters.publish_errors > 3)
		return;
	if (err)
		remote_log("writing the status page failed: %s", strerror(err));
	else /* the page is written: say which file was not, as the TypeScript remote does */
		remote_log("saving the counters to " REMOTE_STATE_DIR "/" REMOTE_STATE_NAME ": %s: failed", strerror(state_err));
}

void remote_rewrite_if_silent(struct remote *r, double now)
{
	if (now < r->rewrite_at)
		return;
	/* as of when it was due, as the TypeScript remote's timer fires; as of now when it is a period late (the remote waited for the host) */
	r->publish_at = now - r->rewrite_at < status_period_ms(&r->history) ? r->rewrite_at : now;
	r->rewrite_due = 1;
}
