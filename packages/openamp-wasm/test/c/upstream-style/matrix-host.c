/*
 * The host of a matrix-multiply pair in the style of OpenAMP's example
 * applications, for v8r's regression tests. It uses what those examples rely
 * on beyond the echo pair:
 *  - a named endpoint at the fixed address 0, made before the remote has
 *    announced itself; the announcement binds it by name (the name-service
 *    callback of the device only hears of other names);
 *  - the older role name and the one-argument release;
 *  - srand(time(NULL)) and rand() for the workload, and a weak
 *    _gettimeofday over struct timeval, as the bare-metal examples carry;
 *  - RPMSG_BUFFER_SIZE for a copy of what arrives;
 *  - libmetal's logging as OpenAMP code of that time calls it: a handler of
 *    its own, ML_DBG, and ML_FUNC_LINE (messages start "function:line ");
 *  - the end of a session as the examples end one: the shutdown word, then
 *    the remote destroys its endpoint, whose address is dynamic (1024 and
 *    up), so an announcement reaches this endpoint's unbind callback.
 * Arguments: count=<n> products (default 200).
 */
#define ML_FUNC_LINE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openamp/open_amp.h>
#include "platform_info.h"
#include "matrix.h"

static struct rpmsg_endpoint lept;
static struct matrix expected;
static int answered;
static int errors;
static int unbound;

int __attribute__((weak)) _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tv;
	(void)tz;
	return 0;
}

/* libmetal's messages go to stdout, after the level. */
static void log_to_stdout(enum metal_log_level level, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	printf("matrix-host log %d: ", (int)level);
	vprintf(format, ap);
	va_end(ap);
}

static void fill(struct matrix *m)
{
	m->size = DIM;
	for (int i = 0; i < DIM; i++)
		for (int j = 0; j < DIM; j++)
			m->e[i][j] = (unsigned int)(rand() % 10);
}

static int on_product(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	char copy[RPMSG_BUFFER_SIZE];
	(void)ept;
	(void)src;
	(void)priv;
	answered = 1;
	if (len != sizeof(struct matrix) || len > sizeof(copy)) {
		printf("matrix-host: a product of %lu bytes came back\r\n", (unsigned long)len);
		errors++;
		return RPMSG_SUCCESS;
	}
	memcpy(copy, data, len);
	if (memcmp(copy, &expected, sizeof(expected))) {
		printf("matrix-host: a wrong product came back\r\n");
		errors++;
	}
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *ept)
{
	(void)ept;
	unbound = 1;
}

static void on_other_service(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	printf("matrix-host: unexpected service %s at %u\r\n", name, (unsigned int)dest);
	errors++;
}

static int run(struct rpmsg_device *rdev, void *platform, int count)
{
	static struct matrix in[2];
	if (rpmsg_create_ept(&lept, rdev, RPMSG_SERVICE_NAME, 0, RPMSG_ADDR_ANY, on_product, on_unbind)) {
		printf("matrix-host: the endpoint could not be made\r\n");
		return 1;
	}
	while (!is_rpmsg_ept_ready(&lept))
		platform_poll(platform);
	ML_DBG("bound to the remote at %u from address %u\r\n", (unsigned int)lept.dest_addr, (unsigned int)lept.addr);
	srand((unsigned int)time(NULL));
	int checked = 0;
	while (checked < count && !errors && !unbound) {
		fill(&in[0]);
		fill(&in[1]);
		matrix_multiply(&in[0], &in[1], &expected);
		answered = 0;
		if (rpmsg_send(&lept, in, sizeof(in)) < 0) {
			errors++;
			break;
		}
		while (!answered && !unbound)
			platform_poll(platform);
		if (answered)
			checked++;
	}
	printf("matrix-host: %d products checked, %d errors\r\n", checked, errors);
	unsigned int word = SHUTDOWN_MSG;
	if (rpmsg_send(&lept, &word, sizeof(word)) < 0)
		errors++;
	for (int polls = 0; !unbound && polls < 40; polls++)
		platform_poll(platform);
	printf("matrix-host: the remote's endpoint %s\r\n", unbound ? "went away" : "is still there");
	rpmsg_destroy_ept(&lept);
	return errors || !unbound || checked != count;
}

int main(int argc, char *argv[])
{
	void *platform;
	int count = 200;
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "count=", 6))
			count = atoi(argv[i] + 6);
	if (platform_init(argc, argv, &platform)) {
		printf("matrix-host: platform_init failed\r\n");
		return 1;
	}
	metal_set_log_handler(log_to_stdout);
	metal_set_log_level(METAL_LOG_DEBUG);
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_MASTER, NULL, on_other_service);
	int ret = 1;
	if (rdev) {
		ret = run(rdev, platform, count);
		platform_release_rpmsg_vdev(rdev);
	}
	platform_cleanup(platform);
	return ret;
}
