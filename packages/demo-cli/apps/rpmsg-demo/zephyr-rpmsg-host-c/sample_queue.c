/* The sample queue: see sample_queue.h. */
#include "sample_queue.h"

#include <string.h>

static struct queued_sample *at(struct sample_queue *q, size_t i)
{
	return &q->items[(q->head + i) % QUEUE_CAPACITY];
}

int queue_push(struct sample_queue *q, double seq, const char *bytes, size_t len)
{
	int dropped = 0;
	if (len > RD_MAX_PAYLOAD_BYTES)
		len = RD_MAX_PAYLOAD_BYTES;
	if (q->count == QUEUE_CAPACITY) {
		queue_shift(q, NULL);
		q->dropped++;
		dropped++;
	}
	struct queued_sample *s = at(q, q->count++);
	s->seq = seq;
	s->len = len;
	memcpy(s->bytes, bytes, len);
	return dropped;
}

const struct queued_sample *queue_peek(const struct sample_queue *q)
{
	return q->count ? &q->items[q->head] : NULL;
}

int queue_shift(struct sample_queue *q, struct queued_sample *out)
{
	if (!q->count)
		return 0;
	if (out)
		*out = q->items[q->head];
	q->head = (q->head + 1) % QUEUE_CAPACITY;
	q->count--;
	return 1;
}

int queue_requeue(struct sample_queue *q, const struct queued_sample *items, size_t n)
{
	/* the queue holds items[0..n) then what it held; beyond capacity the oldest (items' first ones) go */
	size_t skip = n + q->count > QUEUE_CAPACITY ? n + q->count - QUEUE_CAPACITY : 0;
	q->dropped += (double)skip;
	for (size_t i = n; i-- > skip;) {
		q->head = (q->head + QUEUE_CAPACITY - 1) % QUEUE_CAPACITY;
		q->items[q->head] = items[i];
		q->count++;
	}
	return (int)skip;
}
