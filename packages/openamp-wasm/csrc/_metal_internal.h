/* v8r: libmetal internals. */
#ifndef V8R_METAL_INTERNAL_H
#define V8R_METAL_INTERNAL_H

/** Register metal_generic_bus unless it is registered already (metal_init and the first generic device do). */
void metal_v8r_register_generic_bus(void);

#endif
