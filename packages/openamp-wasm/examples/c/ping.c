/*
 * ping: the host half of the v8r C example pair. It binds to the remote's
 * "rpmsg-echo" endpoint when the name service announces it, sends numbered
 * payloads of changing sizes (up to `pipeline` in flight), checks that each
 * echo comes back in order with every byte intact, prints a summary with the
 * round trip (mean and median, one in flight) and the rate, and destroys its endpoint (which ends the echo).
 * Exit status 0 only when every payload came back intact.
 *
 * Arguments (the guest's bootargs): count=N (default 200), pipeline=K
 * (default 1), size=BYTES (default: every size from 8 to the buffer's
 * payload), nocopy (send from transmit buffers filled in place), quiet.
 *
 *   npx v8r-cc -o ping.wasm ping.c
 *   npx v8r-demo --app zephyr=ping.wasm --app linux=echo.wasm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openamp/open_amp.h>
#include "platform_info.h"

#define SERVICE "rpmsg-echo"
#define HEADER 8u /* seq, len (little endian) */

static struct rpmsg_endpoint ept;
static unsigned long count = 200, pipeline = 1, fixed_size, next_rx, errors;
static int nocopy, quiet, unbound;
static uint32_t max_size;
static double *round_trips, sent_at; /* one in flight: each round trip, and when the payload in flight left */

static double now_s(void);

static uint32_t size_of(unsigned long seq)
{
	return fixed_size ? (uint32_t)fixed_size : HEADER + (uint32_t)((seq * 37u) % (max_size - HEADER + 1u));
}

static void fill(uint8_t *p, unsigned long seq, uint32_t len)
{
	uint32_t s = (uint32_t)seq;
	memcpy(p, &s, 4);
	memcpy(p + 4, &len, 4);
	for (uint32_t j = HEADER; j < len; j++)
		p[j] = (uint8_t)(seq * 31u + j);
}

/* Whether data is payload seq exactly as it was sent. */
static int intact(const uint8_t *data, size_t len, unsigned long seq)
{
	uint32_t s, l;
	if (len < HEADER || len != size_of(seq))
		return 0;
	memcpy(&s, data, 4);
	memcpy(&l, data + 4, 4);
	if (s != (uint32_t)seq || l != len)
		return 0;
	for (uint32_t j = HEADER; j < len; j++)
		if (data[j] != (uint8_t)(seq * 31u + j))
			return 0;
	return 1;
}

static int on_message(struct rpmsg_endpoint *e, void *data, size_t len, uint32_t src, void *priv)
{
	(void)e, (void)src, (void)priv;
	if (!intact(data, len, next_rx)) {
		errors++;
		fprintf(stderr, "ping: payload %lu came back damaged (%zu bytes)\n", next_rx, len);
	} else if (!quiet) {
		printf("ping: payload %lu (%zu bytes) came back intact\n", next_rx, len);
	}
	if (round_trips && next_rx < count)
		round_trips[next_rx] = now_s() - sent_at;
	next_rx++;
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *e)
{
	(void)e;
	unbound = 1;
}

static void on_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (strcmp(name, SERVICE) == 0 && !ept.rdev)
		rpmsg_create_ept(&ept, rdev, SERVICE, RPMSG_ADDR_ANY, dest, on_message, on_unbind);
}

static int send_one(unsigned long seq)
{
	uint32_t len = size_of(seq);
	sent_at = now_s();
	if (!nocopy) {
		static uint8_t buf[RPMSG_BUFFER_SIZE];
		fill(buf, seq, len);
		return rpmsg_send(&ept, buf, (int)len);
	}
	uint32_t cap = 0;
	uint8_t *tx = rpmsg_get_tx_payload_buffer(&ept, &cap, 1); /* waits for a free buffer */
	if (!tx || cap < len)
		return RPMSG_ERR_NO_BUFF;
	fill(tx, seq, len);
	return rpmsg_send_nocopy(&ept, tx, (int)len);
}

static void parse(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "count=", 6))
			count = strtoul(a + 6, NULL, 10);
		else if (!strncmp(a, "pipeline=", 9))
			pipeline = strtoul(a + 9, NULL, 10);
		else if (!strncmp(a, "size=", 5))
			fixed_size = strtoul(a + 5, NULL, 10);
		else if (!strcmp(a, "nocopy"))
			nocopy = 1;
		else if (!strcmp(a, "quiet"))
			quiet = 1;
	}
	if (pipeline < 1)
		pipeline = 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of the first n round trips, in microseconds (0 without them). */
static double median_us(unsigned long n)
{
	if (!round_trips || !n)
		return 0;
	if (n > count)
		n = count;
	qsort(round_trips, n, sizeof(double), by_value);
	return round_trips[n / 2] * 1e6;
}

int main(int argc, char *argv[])
{
	void *platform;
	parse(argc, argv);
	if (platform_init(argc, argv, &platform))
		return 1;
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_DRIVER, NULL, on_ns_bind);
	if (!rdev)
		return 1;
	while (!is_rpmsg_ept_ready(&ept))
		platform_poll(platform);
	max_size = (uint32_t)rpmsg_get_tx_buffer_size(&ept);
	if (fixed_size && (fixed_size < HEADER || fixed_size > max_size)) {
		fprintf(stderr, "ping: size=%lu is outside %u..%u\n", fixed_size, HEADER, (unsigned int)max_size);
		return 2;
	}
	printf("ping: bound to \"%s\" at %u; %lu payloads, %lu in flight%s\n", SERVICE, (unsigned int)ept.dest_addr,
	       count, pipeline, nocopy ? ", zero copy" : "");
	unsigned long sent = 0;
	if (pipeline == 1 && count)
		round_trips = calloc(count, sizeof(double));
	double t0 = now_s();
	while (next_rx < count && !unbound) {
		while (sent < count && sent - next_rx < pipeline)
			if (send_one(sent++) < 0)
				errors++, next_rx++;
		if (next_rx < sent)
			platform_poll(platform);
	}
	double secs = now_s() - t0;
	printf("ping: %lu payloads, %lu came back intact, %lu errors\n", count, next_rx - errors, errors);
	if (secs > 0 && count && pipeline == 1)
		printf("ping: round trip %.1f us (median %.1f us)\n", secs * 1e6 / (double)count, median_us(next_rx));
	if (secs > 0 && count)
		printf("ping: %.0f msgs/s\n", (double)count / secs);
	free(round_trips);
	rpmsg_destroy_ept(&ept); /* the echo side hears it and ends */
	platform_release_rpmsg_vdev(rdev, platform);
	platform_cleanup(platform);
	return errors || next_rx < count ? 1 : 0;
}
