/*
 * The bounded queue of encoded samples waiting for the link
 * (../zephyr-rpmsg-host/sample-queue.ts): oldest first; when it is full the
 * oldest is dropped and counted. In C the samples live in a static array
 * (as a Zephyr application's K_MSGQ_DEFINE would keep them), not in the
 * system heap.
 */
#ifndef SAMPLE_QUEUE_H
#define SAMPLE_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include "rpmsg_demo_protocol.h"

/** Most samples the queue keeps (the link policy's queueCapacity). */
#define QUEUE_CAPACITY 64

/** One queued sample. */
struct queued_sample {
	double seq;
	size_t len;
	char bytes[RD_MAX_PAYLOAD_BYTES];
};

/** A ring of at most QUEUE_CAPACITY samples. */
struct sample_queue {
	struct queued_sample items[QUEUE_CAPACITY];
	size_t head, count;
	double dropped;
};

/** Add a sample at the back; returns how many older samples were dropped to make room. */
int queue_push(struct sample_queue *q, double seq, const char *bytes, size_t len);
/** The oldest sample, or NULL. */
const struct queued_sample *queue_peek(const struct sample_queue *q);
/** Remove the oldest sample into out (when given); 0 when empty. */
int queue_shift(struct sample_queue *q, struct queued_sample *out);
/** Put samples back in front, oldest first (items[0] ends up first); the oldest beyond capacity are dropped and counted. Returns how many. */
int queue_requeue(struct sample_queue *q, const struct queued_sample *items, size_t n);

#endif
