/* v8r libmetal: buses, the generic bus of statically registered devices, named shared memory, DMA. */
#include <string.h>
#include <metal/device.h>
#include <metal/errno.h>
#include <metal/shmem.h>
#include <metal/utilities.h>
#include "_metal_internal.h"

static METAL_DECLARE_LIST(bus_list);
static METAL_DECLARE_LIST(generic_devices);
static METAL_DECLARE_LIST(generic_shmem);

static int generic_dev_open(struct metal_bus *bus, const char *dev_name, struct metal_device **device)
{
	struct metal_list *node;
	(void)bus;
	metal_list_for_each(&generic_devices, node) {
		struct metal_device *dev = metal_container_of(node, struct metal_device, node);
		if (!strcmp(dev->name, dev_name)) {
			*device = dev;
			return 0;
		}
	}
	return -ENODEV;
}

struct metal_bus metal_generic_bus = {
	.name = "generic",
	.ops = { .dev_open = generic_dev_open },
};

void metal_v8r_register_generic_bus(void)
{
	if (!metal_list_find_node(&bus_list, &metal_generic_bus.node))
		metal_bus_register(&metal_generic_bus);
}

int metal_bus_register(struct metal_bus *bus)
{
	struct metal_bus *found;
	if (!bus || !bus->name || !bus->name[0])
		return -EINVAL;
	if (metal_bus_find(bus->name, &found) == 0)
		return -EEXIST;
	metal_list_init(&bus->devices);
	metal_list_add_tail(&bus_list, &bus->node);
	return 0;
}

int metal_bus_unregister(struct metal_bus *bus)
{
	if (!bus || !metal_list_find_node(&bus_list, &bus->node))
		return -EINVAL;
	metal_list_del(&bus->node);
	if (bus->ops.bus_close)
		bus->ops.bus_close(bus);
	return 0;
}

int metal_bus_find(const char *name, struct metal_bus **result)
{
	struct metal_list *node;
	metal_list_for_each(&bus_list, node) {
		struct metal_bus *bus = metal_container_of(node, struct metal_bus, node);
		if (name && bus->name && !strcmp(bus->name, name)) {
			if (result)
				*result = bus;
			return 0;
		}
	}
	return -ENOENT;
}

int metal_register_generic_device(struct metal_device *device)
{
	if (!device || !device->name || !device->name[0] || device->num_regions > METAL_MAX_DEVICE_REGIONS)
		return -EINVAL;
	metal_v8r_register_generic_bus();
	device->bus = &metal_generic_bus;
	metal_list_add_tail(&generic_devices, &device->node);
	return 0;
}

int metal_device_open(const char *bus_name, const char *dev_name, struct metal_device **device)
{
	struct metal_bus *bus;
	if (!bus_name || !bus_name[0] || !dev_name || !dev_name[0] || !device)
		return -EINVAL;
	int error = metal_bus_find(bus_name, &bus);
	if (error)
		return error;
	if (!bus->ops.dev_open)
		return -ENODEV;
	return bus->ops.dev_open(bus, dev_name, device);
}

void metal_device_close(struct metal_device *device)
{
	if (device && device->bus && device->bus->ops.dev_close)
		device->bus->ops.dev_close(device->bus, device);
}

int metal_shmem_register_generic(struct metal_generic_shmem *shmem)
{
	if (!shmem || !shmem->name || !shmem->name[0])
		return -EINVAL;
	metal_list_add_tail(&generic_shmem, &shmem->node);
	return 0;
}

int metal_shmem_open(const char *name, size_t size, struct metal_io_region **io)
{
	struct metal_list *node;
	if (!name || !io)
		return -EINVAL;
	metal_list_for_each(&generic_shmem, node) {
		struct metal_generic_shmem *shmem = metal_container_of(node, struct metal_generic_shmem, node);
		if (strcmp(shmem->name, name) != 0)
			continue;
		if (size > metal_io_region_size(&shmem->io))
			return -EINVAL;
		*io = &shmem->io;
		return 0;
	}
	return -ENOENT;
}

int metal_dma_map(struct metal_device *dev, uint32_t dir, struct metal_sg *sg_in, int nents_in,
		  struct metal_sg *sg_out)
{
	if (!sg_in || !sg_out || nents_in <= 0 || !dir || dir > METAL_DMA_DEV_WR)
		return -EINVAL;
	if (dev && dev->bus && dev->bus->ops.dev_dma_map)
		return dev->bus->ops.dev_dma_map(dev->bus, dev, dir, sg_in, nents_in, sg_out);
	if (sg_out != sg_in)
		memmove(sg_out, sg_in, (size_t)nents_in * sizeof(*sg_in));
	return nents_in;
}

void metal_dma_unmap(struct metal_device *dev, uint32_t dir, struct metal_sg *sg, int nents)
{
	if (dev && dev->bus && dev->bus->ops.dev_dma_unmap && sg && nents > 0)
		dev->bus->ops.dev_dma_unmap(dev->bus, dev, dir, sg, nents);
}
