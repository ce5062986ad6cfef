/*
 * Takes status samples of the running Zephyr (../zephyr-rpmsg-host/sampler.ts)
 * through the Zephyr C API: uptime, the vCPU load over the last period, each
 * live thread's state and CPU share since the previous sample (plus idle),
 * the system heap, and the link's counters; encoded with the protocol's C
 * encoder (rd_status.h).
 */
#ifndef SAMPLER_H
#define SAMPLER_H

#include <stdint.h>
#include <zephyr/kernel.h>
#include "facts.h"

/** Most threads the sampler follows. */
#define SAMPLER_MAX_THREADS 32

/** The link's counters at sampling time. */
struct link_counters {
	double tx, rt, ri, dr, q;
};

/** The sampler. */
struct sampler {
	char boot[9];
	double per;       /* sampling period, ms */
	double next_seq;
	double last_at;   /* uptime of the previous sample */
	struct {
		uint32_t id;
		uint64_t cycles;
	} last[SAMPLER_MAX_THREADS];
	size_t n_last;
	/* TrimLog: samples sent with fewer thread entries, entries left out, the last number left out */
	double trimmed, threads_dropped;
	int last_dropped;
};

/** A sampler with boot id boot and period per. */
void sampler_init(struct sampler *s, const char boot[9], double per);
/**
 * Take the next sample's facts into out (its seq is out->f.seq); encodes it
 * once to count and log thread entries left out to fit. 0, or -1 when it
 * cannot be encoded.
 */
int sampler_take(struct sampler *s, const struct link_counters *ipc, struct sample_facts *out);

#endif
