/* The sample queue: see sample_queue.h. */
#include "sample_queue.h"

#include <string.h>

static void record_drop(struct sample_queue *q, double seq)
{
	q->dropped++;
	if (q->n_drops == QUEUE_MAX_DROPS) { /* cannot happen while samples are acknowledged; keep the count exact for the newest */
		memmove(q->drop_seqs, q->drop_seqs + 1, (QUEUE_MAX_DROPS - 1) * sizeof q->drop_seqs[0]);
		q->n_drops--;
		q->drop_base++;
	}
	q->drop_seqs[q->n_drops++] = seq;
}

/* Drop the oldest sample never sent; 0 when there is none. */
static int drop_oldest_unsent(struct sample_queue *q, queue_report report, void *ctx)
{
	for (size_t i = 0; i < q->count; i++) {
		if (q->items[i].ever_sent)
			continue;
		double seq = q->items[i].seq;
		memmove(&q->items[i], &q->items[i + 1], (q->count - i - 1) * sizeof q->items[0]);
		q->count--;
		record_drop(q, seq);
		report(ctx, seq, "dropped");
		return 1;
	}
	return 0;
}

int queue_push(struct sample_queue *q, double seq, const struct sample_facts *facts, queue_report report, void *ctx)
{
	int dropped = 0;
	while (q->count >= QUEUE_CAPACITY && drop_oldest_unsent(q, report, ctx))
		dropped++;
	if (q->count >= QUEUE_CAPACITY) { /* every queued sample was sent: this one gives way */
		record_drop(q, seq);
		report(ctx, seq, "dropped");
		return dropped + 1;
	}
	struct queued_sample *s = &q->items[q->count++];
	s->seq = seq;
	s->facts = *facts;
	s->ever_sent = 0;
	s->sent_at = 0;
	return dropped;
}

struct queued_sample *queue_next_to_send(struct sample_queue *q)
{
	return q->in_flight < q->count ? &q->items[q->in_flight] : NULL;
}

const struct queued_sample *queue_oldest_in_flight(const struct sample_queue *q)
{
	return q->in_flight > 0 ? &q->items[0] : NULL;
}

void queue_mark_sent(struct sample_queue *q, double now)
{
	struct queued_sample *s = queue_next_to_send(q);
	if (!s)
		return;
	s->ever_sent = 1;
	s->sent_at = now;
	q->in_flight++;
}

int queue_acknowledge(struct sample_queue *q, double next, queue_report report, void *ctx)
{
	int done = 0;
	while (q->in_flight > 0 && q->items[0].seq < next) {
		double seq = q->items[0].seq;
		memmove(&q->items[0], &q->items[1], (q->count - 1) * sizeof q->items[0]);
		q->count--;
		q->in_flight--;
		report(ctx, seq, "delivered");
		done++;
	}
	double oldest = q->count ? q->items[0].seq : 1e300;
	size_t below = 0;
	while (below < q->n_drops && q->drop_seqs[below] < oldest)
		below++;
	memmove(q->drop_seqs, q->drop_seqs + below, (q->n_drops - below) * sizeof q->drop_seqs[0]);
	q->n_drops -= below;
	q->drop_base += (double)below;
	return done;
}

size_t queue_rewind(struct sample_queue *q)
{
	size_t n = q->in_flight;
	q->in_flight = 0;
	return n;
}

double queue_drops_below(const struct sample_queue *q, double seq)
{
	double n = q->drop_base;
	for (size_t i = 0; i < q->n_drops && q->drop_seqs[i] < seq; i++)
		n++;
	return n;
}
