/*
 * The samples rpmsg-host has taken and not yet seen acknowledged, oldest
 * first (../zephyr-rpmsg-host/sample-queue.ts). A sample leaves the queue in
 * exactly one of two ways: acknowledged by the remote (delivered), or
 * dropped and counted with a reason. Only a sample that was never sent is
 * ever dropped, so the count of drops below a seq is final once that seq is
 * sent: the dr a sample carries (queue_drops_below) is exactly the number of
 * earlier samples of the boot Linux will never get. In C the samples live
 * in a static array (as a Zephyr application's K_MSGQ_DEFINE would keep
 * them), not in the system heap, so the only drop reason is "overflow".
 */
#ifndef SAMPLE_QUEUE_H
#define SAMPLE_QUEUE_H

#include <stddef.h>
#include "facts.h"

/** Most samples the queue keeps (the link policy's queueCapacity). */
#define QUEUE_CAPACITY 64
/** Most drops remembered at or above the oldest queued sample. */
#define QUEUE_MAX_DROPS 256

/** One queued sample. */
struct queued_sample {
	double seq;
	struct sample_facts facts; /* as taken; the link fills in its counters at each send */
	int ever_sent;
	double sent_at; /* uptime of the last send */
};

/** The queue. */
struct sample_queue {
	struct queued_sample items[QUEUE_CAPACITY];
	size_t count;
	size_t in_flight;  /* items at the front sent on the current link and not acknowledged */
	double dropped;
	double drop_seqs[QUEUE_MAX_DROPS]; /* dropped seqs at or above the oldest queued one, increasing */
	size_t n_drops;
	double drop_base;  /* drops below those */
};

/** What happened to a sample: queue_push's and queue_acknowledge's reports. */
typedef void (*queue_report)(void *ctx, double seq, const char *fate);

/** Queue a new sample; each sample dropped to make room (maybe this one) goes to report(ctx, seq, "dropped"). Returns how many. */
int queue_push(struct sample_queue *q, double seq, const struct sample_facts *facts, queue_report report, void *ctx);
/** The next sample to send, or NULL. */
struct queued_sample *queue_next_to_send(struct sample_queue *q);
/** The oldest sample in flight, or NULL. */
const struct queued_sample *queue_oldest_in_flight(const struct sample_queue *q);
/** Record that the next sample to send was sent at now. */
void queue_mark_sent(struct sample_queue *q, double now);
/** The remote has every sample before next: release those in flight; each goes to report(ctx, seq, "delivered"). Returns how many. */
int queue_acknowledge(struct sample_queue *q, double next, queue_report report, void *ctx);
/** The link was reset: the samples in flight will be sent again. Returns how many. */
size_t queue_rewind(struct sample_queue *q);
/** How many samples with a seq below seq were dropped. */
double queue_drops_below(const struct sample_queue *q, double seq);

#endif
