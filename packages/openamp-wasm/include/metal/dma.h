/* v8r libmetal: DMA mapping (shared memory is coherent: mapping copies the list and does nothing else). */
#ifndef __METAL_DMA__H__
#define __METAL_DMA__H__

#include <stdint.h>
#include <metal/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

#define METAL_DMA_DEV_R 1  /* the device reads the memory */
#define METAL_DMA_DEV_W 2  /* the device writes the memory */
#define METAL_DMA_DEV_WR 3 /* both */

struct metal_io_region;
struct metal_device;

/** One piece of a scatter list. */
struct metal_sg {
	void *virt;
	struct metal_io_region *io;
	int len;
};

/** Map nents_in pieces for the device into sg_out; the number mapped, or -EINVAL. */
int metal_dma_map(struct metal_device *dev, uint32_t dir, struct metal_sg *sg_in, int nents_in,
		  struct metal_sg *sg_out);
void metal_dma_unmap(struct metal_device *dev, uint32_t dir, struct metal_sg *sg, int nents);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_DMA__H__ */
