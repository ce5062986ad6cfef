/* The sampler: see sampler.h. */
#include "sampler.h"

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
	struct rd_thread_status *threads;
	char (*names)[CONFIG_THREAD_MAX_NAME_LEN];
	char (*states)[16];
	size_t n;
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
	k_thread_runtime_stats_t stats;
	if (v->n >= SAMPLER_MAX_THREADS - 1 || k_thread_runtime_stats_get(t, &stats))
		return;
	uint64_t before = swap_runtime(v->s, t->v8r_id, stats.execution_cycles);
	double ran_ms = (double)(stats.execution_cycles - before) * 1000.0 / sys_clock_hw_cycles_per_sec();
	strncpy(v->names[v->n], k_thread_name_get(t), CONFIG_THREAD_MAX_NAME_LEN - 1);
	k_thread_state_str(t, v->states[v->n], sizeof v->states[v->n]);
	v->threads[v->n].name = v->names[v->n];
	v->threads[v->n].state = v->states[v->n];
	v->threads[v->n].cpu = v->elapsed > 0 ? (ran_ms / v->elapsed) * 100 : 0;
	v->n++;
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

int sampler_take(struct sampler *s, const struct link_counters *ipc, struct rd_buf *out, double *seq)
{
	static struct rd_thread_status threads[SAMPLER_MAX_THREADS];
	static char names[SAMPLER_MAX_THREADS][CONFIG_THREAD_MAX_NAME_LEN];
	static char states[SAMPLER_MAX_THREADS][16];
	double load = cpu_load_get(true) / 10.0;
	double now = (double)k_uptime_get();
	memset(names, 0, sizeof names);
	struct visit v = { s, now - s->last_at, threads, names, states, 0 };
	s->last_at = now;
	k_thread_foreach(visit_thread, &v);
	threads[v.n] = (struct rd_thread_status){ "idle", "ready", 100 - load > 0 ? 100 - load : 0 };
	v.n++;
	struct sys_memory_stats heap = { 0 };
	sys_heap_runtime_stats_get(&_system_heap, &heap);
	struct rd_zephyr_facts f = {
		.seq = s->next_seq, .uptimeMs = now, .periodMs = s->per, .loadPct = load,
		.threads = threads, .n_threads = v.n, .threadCount = (double)v.n,
		.heapUsed = (double)heap.allocated_bytes, .heapFree = (double)heap.free_bytes, .heapMaxUsed = (double)heap.max_allocated_bytes,
		.ipcTx = ipc->tx, .ipcRt = ipc->rt, .ipcRi = ipc->ri, .ipcDr = ipc->dr, .ipcQ = ipc->q,
	};
	memcpy(f.boot, s->boot, 9);
	struct rd_buf why = { 0 };
	int dropped = rd_status_encode(&f, RD_STATUS_MAX_BYTES, out, &why);
	if (dropped < 0) {
		LOG_ERR("%s", rd_buf_cstr(&why));
		rd_buf_free(&why);
		return -1;
	}
	rd_buf_free(&why);
	*seq = s->next_seq++;
	note_trim(s, *seq, dropped, v.n);
	return 0;
}
