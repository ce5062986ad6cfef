/* v8r libmetal subset: init, logging, allocation, sleeping and irq table. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <metal/alloc.h>
#include <metal/irq.h>
#include <metal/log.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include "_platform.h"

static metal_log_handler log_handler = metal_default_log_handler;
static enum metal_log_level log_level = METAL_LOG_WARNING;

int metal_init(const struct metal_init_params *params)
{
	if (params) {
		log_handler = params->log_handler ? params->log_handler : metal_default_log_handler;
		log_level = params->log_level;
	}
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
	v8r_env_log((int)level, msg, (uint32_t)n);
}

void *metal_allocate_memory(unsigned int size) { return malloc(size); }
void metal_free_memory(void *ptr) { free(ptr); }

int metal_sleep_usec(unsigned int usec)
{
	v8r_env_sleep_us(usec);
	return 0;
}

void metal_cpu_yield(void) { v8r_env_sleep_us(0); }

static struct {
	metal_irq_handler handler;
	void *arg;
	int enabled;
} irq_table[METAL_IRQ_MAX];

int metal_irq_register(int irq, metal_irq_handler handler, void *arg)
{
	if (irq < 0 || irq >= METAL_IRQ_MAX)
		return -22;
	irq_table[irq].handler = handler;
	irq_table[irq].arg = arg;
	return 0;
}

void metal_irq_unregister(int irq)
{
	if (irq >= 0 && irq < METAL_IRQ_MAX)
		irq_table[irq].handler = NULL;
}

void metal_irq_enable(unsigned int vector)
{
	if (vector < METAL_IRQ_MAX)
		irq_table[vector].enabled = 1;
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
	return irq_table[irq].handler(irq, irq_table[irq].arg);
}
