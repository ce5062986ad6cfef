/* v8r libmetal: buses and devices (the "generic" bus of statically registered devices). */
#ifndef __METAL_BUS__H__
#define __METAL_BUS__H__

#include <stdint.h>
#include <metal/dma.h>
#include <metal/io.h>
#include <metal/list.h>
#include <metal/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef METAL_MAX_DEVICE_REGIONS
#define METAL_MAX_DEVICE_REGIONS 32
#endif

struct metal_bus;
struct metal_device;

struct metal_bus_ops {
	void (*bus_close)(struct metal_bus *bus);
	int (*dev_open)(struct metal_bus *bus, const char *dev_name, struct metal_device **device);
	void (*dev_close)(struct metal_bus *bus, struct metal_device *device);
	void (*dev_irq_ack)(struct metal_bus *bus, struct metal_device *device, int irq);
	int (*dev_dma_map)(struct metal_bus *bus, struct metal_device *device, uint32_t dir, struct metal_sg *sg_in,
			   int nents_in, struct metal_sg *sg_out);
	void (*dev_dma_unmap)(struct metal_bus *bus, struct metal_device *device, uint32_t dir, struct metal_sg *sg,
			      int nents);
};

struct metal_bus {
	const char *name;
	struct metal_bus_ops ops;
	struct metal_list devices;
	struct metal_list node;
};

/** The bus of devices registered with metal_register_generic_device() (registered by metal_init()). */
extern struct metal_bus metal_generic_bus;

struct metal_device {
	const char *name;
	struct metal_bus *bus;
	unsigned int num_regions;
	struct metal_io_region regions[METAL_MAX_DEVICE_REGIONS];
	struct metal_list node;
	int irq_num;
	void *irq_info;
};

/** 0, -EINVAL for a bus without a name, -EEXIST for a name already registered. */
int metal_bus_register(struct metal_bus *bus);
/** 0, or -EINVAL. */
int metal_bus_unregister(struct metal_bus *bus);
/** 0 and *bus, or -ENOENT. */
int metal_bus_find(const char *name, struct metal_bus **bus);

/** Add a device to the generic bus; 0, or -EINVAL for one without a name or with too many regions. */
int metal_register_generic_device(struct metal_device *device);
/** Open a device by bus and name; 0 and *device, or -EINVAL / -ENOENT / -ENODEV. */
int metal_device_open(const char *bus_name, const char *dev_name, struct metal_device **device);
void metal_device_close(struct metal_device *device);

/** Region index of a device, NULL when it has no such region. */
static inline struct metal_io_region *metal_device_io_region(struct metal_device *device, unsigned int index)
{
	return index < device->num_regions ? &device->regions[index] : NULL;
}

#ifdef __cplusplus
}
#endif

#endif /* __METAL_BUS__H__ */
