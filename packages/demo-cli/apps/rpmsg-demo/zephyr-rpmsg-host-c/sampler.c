/* The sampler: see sampler.h. */
#include "sampler.h"

#include <stdio.h>
#include <string.h>
#include <zephyr/debug/cpu_load.h>
#include <zephyr/logging/log.h>

LOG_MODULE_REGISTER(rpmsg_host);

void sampler_init(struct sampler *s, const char boot[9], double per)
{
	memset(s, 0, sizeof *s);
	memcpy(s->boot, boot, 9);
	s->per = per;
	s->last_at = (double)k_uptime_get();
}

struct visit {
	struct sampler *s;
	double elapsed;
	struct sample_facts *out;
};

/* The thread's runtime at the previous sample (0 for a new one), then remember the current one. */
static uint64_t swap_runtime(struct sampler *s, uint32_t id, uint64_t cycles)
{
	for (size_t i = 0; i < s->n_last; i++)
		if (s->last[i].id == id) {
			uint64_t before = s->last[i].cycles;
			s->last[i].cycles = cycles;
			return before;
		}
	if (s->n_last < SAMPLER_MAX_THREADS) {
		s->last[s->n_last].id = id;
		s->last[s->n_last].cycles = cycles;
		s->n_last++;
	}
	return 0;
}

static void visit_thread(const struct k_thread *t, void *data)
{
	struct visit *v = data;
	struct sample_facts *o = v->out;
	k_thread_runtime_stats_t stats;
	if (o->f.n_threads >= FACTS_MAX_THREADS - 1 || k_thread_runtime_stats_get(t, &stats))
		return;
	uint64_t before = swap_runtime(v->s, t->v8r_id, stats.execution_cycles);
	double ran_ms = (double)(stats.execution_cycles - before) * 1000.0 / sys_clock_hw_cycles_per_sec();
	size_t i = o->f.n_threads++;
	snprintf(o->names[i], FACTS_NAME_LEN, "%s", k_thread_name_get(t));
	k_thread_state_str(t, o->states[i], sizeof o->states[i]);
	o->threads[i].cpu = v->elapsed > 0 ? (ran_ms / v->elapsed) * 100 : 0;
}

/* TrimLog: account for one sample; log when the number of entries left out changes. */
static void note_trim(struct sampler *s, double seq, int dropped, size_t total)
{
	if (dropped > 0) {
		s->trimmed++;
		s->threads_dropped += dropped;
	}
	if (dropped == s->last_dropped)
		return;
	if (dropped > 0)
		LOG_WRN("sample %.0f: %d of %zu thread entries left out to fit 496 bytes", seq, dropped, total);
	else
		LOG_INF("sample %.0f: every thread entry fits again", seq);
	s->last_dropped = dropped;
}

int sampler_take(struct sampler *s, const struct link_counters *ipc, struct sample_facts *out)
{
	double load = cpu_load_get(true) / 10.0;
	double now = (double)k_uptime_get();
	memset(out, 0, sizeof *out);
	struct visit v = { s, now - s->last_at, out };
	s->last_at = now;
	k_thread_foreach(visit_thread, &v);
	size_t idle = out->f.n_threads++;
	snprintf(out->names[idle], FACTS_NAME_LEN, "idle");
	snprintf(out->states[idle], sizeof out->states[idle], "ready");
	out->threads[idle].cpu = 100 - load > 0 ? 100 - load : 0;
	struct sys_memory_stats heap = { 0 };
	sys_heap_runtime_stats_get(&_system_heap, &heap);
	struct rd_zephyr_facts *f = facts_of(out);
	f->seq = s->next_seq;
	memcpy(f->boot, s->boot, 9);
	f->uptimeMs = now;
	f->periodMs = s->per;
	f->loadPct = load;
	f->threadCount = (double)f->n_threads;
	f->heapUsed = (double)heap.allocated_bytes;
	f->heapFree = (double)heap.free_bytes;
	f->heapMaxUsed = (double)heap.max_allocated_bytes;
	f->ipcTx = ipc->tx;
	f->ipcRt = ipc->rt;
	f->ipcRi = ipc->ri;
	f->ipcDr = ipc->dr;
	f->ipcQ = ipc->q;
	struct rd_buf bytes = { 0 }, why = { 0 };
	int dropped = rd_status_encode(f, RD_STATUS_MAX_BYTES, &bytes, &why);
	if (dropped < 0)
		LOG_ERR("%s", rd_buf_cstr(&why));
	rd_buf_free(&bytes);
	rd_buf_free(&why);
	if (dropped < 0)
		return -1;
	s->next_seq++;
	note_trim(s, f->seq, dropped, f->n_threads);
	return 0;
}
