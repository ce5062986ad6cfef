/* v8r libmetal subset: interrupts. v8r has no interrupt controller in C;
 * handlers are kept in a small table and run by metal_irq_dispatch(). */
#ifndef METAL_IRQ_H
#define METAL_IRQ_H

#ifdef __cplusplus
extern "C" {
#endif

#define METAL_IRQ_NOT_HANDLED 0
#define METAL_IRQ_HANDLED 1
#define METAL_IRQ_MAX 16

typedef int (*metal_irq_handler)(int irq, void *arg);

int metal_irq_register(int irq, metal_irq_handler handler, void *arg);
void metal_irq_unregister(int irq);
void metal_irq_enable(unsigned int vector);
void metal_irq_disable(unsigned int vector);
/** v8r: run the handler registered for irq (returns METAL_IRQ_*). */
int metal_irq_dispatch(int irq);

#ifdef __cplusplus
}
#endif

#endif
