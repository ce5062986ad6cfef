/*
 * v8r libmetal: interrupts. A v8r instance has no interrupt controller:
 * handlers are kept in a table and run when the platform delivers an
 * interrupt with metal_irq_dispatch() (a v8r addition).
 */
#ifndef __METAL_IRQ__H__
#define __METAL_IRQ__H__

#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

#define METAL_IRQ_NOT_HANDLED 0
#define METAL_IRQ_HANDLED 1

/** Interrupts the table holds (0 .. METAL_IRQ_MAX - 1). */
#define METAL_IRQ_MAX 64

typedef int (*metal_irq_handler)(int irq, void *arg);

/** Register (or, with a NULL handler, remove) the handler of irq; 0, or -EINVAL for an irq outside the table. */
int metal_irq_register(int irq, metal_irq_handler irq_handler, void *arg);

static inline void metal_irq_unregister(int irq)
{
	metal_irq_register(irq, 0, NULL);
}

/** Mask interrupt delivery; returns the previous state for metal_irq_restore_enable(). */
unsigned int metal_irq_save_disable(void);
void metal_irq_restore_enable(unsigned int flags);
void metal_irq_enable(unsigned int vector);
void metal_irq_disable(unsigned int vector);

/**
 * v8r: deliver irq: run its handler when one is registered, the vector is
 * enabled and interrupts are not masked (a masked or disabled irq stays
 * pending and runs when unmasked). Returns METAL_IRQ_HANDLED or _NOT_HANDLED.
 */
int metal_irq_dispatch(int irq);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_IRQ__H__ */
