/*
 * One taken sample's facts with their own storage (thread names and states),
 * so a queued sample can be encoded again when it is sent: the link fills
 * in its counters as they are at each send (the TypeScript QueuedSample's
 * facts).
 */
#ifndef FACTS_H
#define FACTS_H

#include "rd_status.h"

/** Most threads a sample lists (idle included). */
#define FACTS_MAX_THREADS 32
/** Longest thread name kept, with its NUL. */
#define FACTS_NAME_LEN 32

/** The facts of one sample and the storage they point into. */
struct sample_facts {
	struct rd_zephyr_facts f;
	struct rd_thread_status threads[FACTS_MAX_THREADS];
	char names[FACTS_MAX_THREADS][FACTS_NAME_LEN];
	char states[FACTS_MAX_THREADS][16];
};

/** The facts, their thread list pointing into s (call it after s was copied). */
static inline struct rd_zephyr_facts *facts_of(struct sample_facts *s)
{
	for (size_t i = 0; i < s->f.n_threads; i++) {
		s->threads[i].name = s->names[i];
		s->threads[i].state = s->states[i];
	}
	s->f.threads = s->threads;
	return &s->f;
}

#endif
