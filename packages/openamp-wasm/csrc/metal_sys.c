/* v8r libmetal: init, logging, sleeping, time, the interrupt table, condition waits, version. */
#include <stdarg.h>
#include <stdio.h>
#include <metal/condition.h>
#include <metal/cpu.h>
#include <metal/irq.h>
#include <metal/log.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include <metal/time.h>
#include <metal/version.h>
#include "_metal_internal.h"
#include "_platform.h"

static metal_log_handler log_handler;
static enum metal_log_level log_level = METAL_LOG_INFO;

int metal_init(const struct metal_init_params *params)
{
	log_handler = params ? params->log_handler : metal_default_log_handler;
	log_level = params ? params->log_level : METAL_LOG_INFO;
	metal_v8r_register_generic_bus();
	return 0;
}

void metal_finish(void) {}

void metal_set_log_handler(metal_log_handler handler) { log_handler = handler; }
metal_log_handler metal_get_log_handler(void) { return log_handler; }
void metal_set_log_level(enum metal_log_level level) { log_level = level; }
enum metal_log_level metal_get_log_level(void) { return log_level; }

void metal_default_log_handler(enum metal_log_level level, const char *format, ...)
{
	char msg[256];
	va_list args;
	va_start(args, format);
	int n = vsnprintf(msg, sizeof(msg), format, args);
	va_end(args);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1;
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		n--;
	v8r_env_log((int)level, msg, (uint32_t)n);
}

int metal_sleep_usec(unsigned int usec)
{
	v8r_env_sleep_us(usec);
	return 0;
}

void metal_yield(void) { v8r_env_sleep_us(0); }
void metal_cpu_yield(void) { v8r_env_sleep_us(0); }

unsigned long long metal_get_timestamp(void)
{
	double ms = v8r_env_now_ms();
	return ms > 0 ? (unsigned long long)(ms * 1e6) : 0;
}

int metal_ver_major(void) { return METAL_VER_MAJOR; }
int metal_ver_minor(void) { return METAL_VER_MINOR; }
int metal_ver_patch(void) { return METAL_VER_PATCH; }
const char *metal_ver(void) { return METAL_VER; }

static struct {
	metal_irq_handler handler;
	void *arg;
	unsigned char enabled;
	unsigned char pending;
} irq_table[METAL_IRQ_MAX];
static unsigned int irq_masked;

int metal_irq_register(int irq, metal_irq_handler irq_handler, void *arg)
{
	if (irq < 0 || irq >= METAL_IRQ_MAX)
		return -EINVAL;
	irq_table[irq].handler = irq_handler;
	irq_table[irq].arg = irq_handler ? arg : NULL;
	return 0;
}

/* Run the handlers of the pending, enabled interrupts (nothing while masked). */
static void run_pending(void)
{
	for (int irq = 0; irq < METAL_IRQ_MAX && !irq_masked; irq++) {
		if (irq_table[irq].pending && irq_table[irq].enabled && irq_table[irq].handler) {
			irq_table[irq].pending = 0;
			irq_table[irq].handler(irq, irq_table[irq].arg);
		}
	}
}

unsigned int metal_irq_save_disable(void)
{
	unsigned int was = irq_masked;
	irq_masked = 1;
	return was;
}

void metal_irq_restore_enable(unsigned int flags)
{
	irq_masked = flags;
	run_pending();
}

void metal_irq_enable(unsigned int vector)
{
	if (vector < METAL_IRQ_MAX) {
		irq_table[vector].enabled = 1;
		run_pending();
	}
}

void metal_irq_disable(unsigned int vector)
{
	if (vector < METAL_IRQ_MAX)
		irq_table[vector].enabled = 0;
}

int metal_irq_dispatch(int irq)
{
	if (irq < 0 || irq >= METAL_IRQ_MAX || !irq_table[irq].handler)
		return METAL_IRQ_NOT_HANDLED;
	if (irq_masked || !irq_table[irq].enabled) {
		irq_table[irq].pending = 1;
		return METAL_IRQ_NOT_HANDLED;
	}
	return irq_table[irq].handler(irq, irq_table[irq].arg);
}

int metal_condition_wait(struct metal_condition *cv, metal_mutex_t *m)
{
	uintptr_t expected = 0;
	if (!cv || !m || !metal_mutex_is_acquired(m))
		return -EINVAL;
	if (!atomic_compare_exchange_strong(&cv->mptr, &expected, (uintptr_t)m) && expected != (uintptr_t)m)
		return -EINVAL;
	int v = atomic_load(&cv->v);
	metal_mutex_release(m);
	while (atomic_load(&cv->v) == v)
		metal_cpu_yield(); /* a platform that runs interrupt handlers here lets them signal */
	metal_mutex_acquire(m);
	return 0;
}
