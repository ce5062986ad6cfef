/* The twin's libmetal and virtio cases: logging, versions, devices, shared memory, interrupts, sync, time. */
#include <stdarg.h>
#include <string.h>
#include <metal/alloc.h>
#include <metal/atomic.h>
#include <metal/cache.h>
#include <metal/condition.h>
#include <metal/cpu.h>
#include <metal/device.h>
#include <metal/dma.h>
#include <metal/irq.h>
#include <metal/log.h>
#include <metal/shmem.h>
#include <metal/sleep.h>
#include <metal/spinlock.h>
#include <metal/time.h>
#include <metal/utilities.h>
#include <metal/version.h>
#include <openamp/open_amp.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/version.h>
#include "../platform_native.h"
#include "twin.h"

static int logged[METAL_LOG_DEBUG + 1];
static char last_log[128];

static void capture_log(enum metal_log_level level, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vsnprintf(last_log, sizeof(last_log), format, ap);
	va_end(ap);
	logged[level]++;
}

static void case_log_and_versions(void)
{
	metal_set_log_handler(capture_log);
	metal_set_log_level(METAL_LOG_INFO);
	metal_err("e%d\n", 1);
	metal_warn("w\n");
	metal_info("i %s\n", "x");
	metal_dbg("hidden\n");
	CHECK(logged[METAL_LOG_ERROR] == 1 && logged[METAL_LOG_WARNING] == 1 && logged[METAL_LOG_INFO] == 1);
	CHECK(logged[METAL_LOG_DEBUG] == 0 && strcmp(last_log, "i x\n") == 0);
	metal_set_log_level(METAL_LOG_DEBUG);
	metal_log(METAL_LOG_DEBUG, "d\n");
	CHECK(logged[METAL_LOG_DEBUG] == 1 && metal_get_log_handler() == capture_log);
	metal_set_log_handler(NULL);
	metal_err("dropped\n");
	CHECK(logged[METAL_LOG_ERROR] == 1);
	CHECK(openamp_version_major() == OPENAMP_VERSION_MAJOR && openamp_version_minor() == OPENAMP_VERSION_MINOR);
	CHECK(openamp_version_patch() == OPENAMP_VERSION_PATCH && !strcmp(openamp_version(), OPENAMP_VERSION));
	CHECK(metal_ver_major() == 1 && metal_ver_minor() == METAL_VER_MINOR && metal_ver_patch() == METAL_VER_PATCH);
	CHECK(!strcmp(metal_ver(), METAL_VER));
}

static struct metal_device shm_device = {
	.name = "twin-shm",
	.num_regions = 1,
};

static void case_devices_and_shmem(void)
{
	struct metal_device *dev = NULL;
	metal_io_init(&shm_device.regions[0], twin_host.mirror, &twin_host.phys, TWIN_SHM_SIZE, (unsigned int)-1, 0,
		      NULL);
	CHECK(metal_register_generic_device(&shm_device) == 0);
	CHECK(metal_device_open("generic", "twin-shm", &dev) == 0 && dev == &shm_device);
	CHECK(metal_device_open("generic", "nope", &dev) == -ENODEV && metal_device_open("nobus", "twin-shm", &dev) == -ENOENT);
	struct metal_io_region *io = metal_device_io_region(dev, 0);
	CHECK(io && metal_device_io_region(dev, 1) == NULL && metal_io_phys(io, 8) == TWIN_SHM_PA + 8);
	metal_io_write32(io, 0x1f000, 0xabcd1234u); /* a region without ops is the memory itself */
	CHECK(metal_io_read32(io, 0x1f000) == 0xabcd1234u && *(uint32_t *)(twin_host.mirror + 0x1f000) == 0xabcd1234u);
	CHECK(metal_io_block_set(io, TWIN_SHM_SIZE - 4, 0xee, 16) == 4); /* cut at the region's end */
	CHECK(metal_io_block_read(io, TWIN_SHM_SIZE, last_log, 1) == -ERANGE);
	metal_device_close(dev);
	struct metal_bus *bus = NULL;
	CHECK(metal_bus_find("generic", &bus) == 0 && bus == &metal_generic_bus);
	static struct metal_generic_shmem shmem = { .name = "twin" };
	shmem.io = twin_remote.io;
	CHECK(metal_shmem_register_generic(&shmem) == 0);
	CHECK(metal_shmem_open("twin", TWIN_SHM_SIZE, &io) == 0 && io == &shmem.io);
	CHECK(metal_shmem_open("twin", TWIN_SHM_SIZE + 1, &io) == -EINVAL && metal_shmem_open("x", 1, &io) == -ENOENT);
	struct metal_sg sg = { twin_host.mirror, &twin_host.io, 16 }, out;
	CHECK(metal_dma_map(dev, METAL_DMA_DEV_W, &sg, 1, &out) == 1 && out.virt == sg.virt && out.len == 16);
	metal_dma_unmap(dev, METAL_DMA_DEV_W, &out, 1);
	metal_cache_flush(twin_host.mirror, 16);
	metal_cache_invalidate(twin_host.mirror, 16);
}

static struct metal_condition cond = METAL_CONDITION_INIT;
static METAL_MUTEX_DEFINE(cond_lock);
static int irq_runs;

static int twin_irq(int irq, void *arg)
{
	CHECK(irq == 5 && arg == &cond);
	irq_runs++;
	metal_condition_signal(arg);
	return METAL_IRQ_HANDLED;
}

/* The platform takes interrupts where the library yields. */
static void deliver_irq(void)
{
	metal_irq_dispatch(5);
}

static void case_interrupts_and_sync(void)
{
	CHECK(metal_irq_register(METAL_IRQ_MAX, twin_irq, NULL) == -EINVAL);
	CHECK(metal_irq_register(5, twin_irq, &cond) == 0);
	CHECK(metal_irq_dispatch(5) == METAL_IRQ_NOT_HANDLED && irq_runs == 0); /* not enabled yet: pending */
	metal_irq_enable(5);
	CHECK(irq_runs == 1); /* the pending one ran when enabled */
	unsigned int flags = metal_irq_save_disable();
	CHECK(metal_irq_dispatch(5) == METAL_IRQ_NOT_HANDLED && irq_runs == 1);
	metal_irq_restore_enable(flags);
	CHECK(irq_runs == 2);
	metal_mutex_acquire(&cond_lock);
	CHECK(metal_mutex_is_acquired(&cond_lock) && !metal_mutex_try_acquire(&cond_lock));
	native_yield_hook = deliver_irq;
	CHECK(metal_condition_wait(&cond, &cond_lock) == 0 && irq_runs == 3 && metal_mutex_is_acquired(&cond_lock));
	native_yield_hook = NULL;
	static METAL_MUTEX_DEFINE(other);
	metal_mutex_acquire(&other);
	CHECK(metal_condition_wait(&cond, &other) == -EINVAL); /* a condition keeps its mutex */
	metal_mutex_release(&other);
	metal_mutex_release(&cond_lock);
	CHECK(metal_condition_wait(&cond, &cond_lock) == -EINVAL && metal_condition_broadcast(&cond) == 0);
	metal_irq_disable(5);
	metal_irq_unregister(5);
	CHECK(metal_irq_dispatch(5) == METAL_IRQ_NOT_HANDLED);
	struct metal_spinlock sl = METAL_SPINLOCK_INIT;
	metal_spinlock_acquire(&sl);
	metal_spinlock_release(&sl);
	metal_spinlock_init(&sl);
	unsigned long long t0 = metal_get_timestamp();
	CHECK(metal_sleep_usec(2000) == 0);
	CHECK(metal_get_timestamp() - t0 >= 2000000ull); /* nanoseconds */
	metal_cpu_yield();
	metal_yield();
	void *mem = metal_allocate_memory(32);
	CHECK(mem);
	metal_free_memory(mem);
	CHECK(metal_log2(64) == 6 && metal_align_up(5, 4) == 8 && metal_div_round_up(9, 4) == 3);
}

static void case_virtio_helpers(void)
{
	struct virtio_device *hv = twin_host.vdev, *rv = twin_remote.vdev;
	uint8_t status = 0;
	uint32_t features = 0;
	CHECK(virtio_get_status(rv, &status) == 0 && (status & VIRTIO_CONFIG_STATUS_DRIVER_OK));
	CHECK(virtio_get_status(NULL, &status) == -EINVAL && virtio_get_devid(rv) == VIRTIO_ID_RPMSG);
	CHECK(virtio_get_features(rv, &features) == 0 && features == 1u && virtio_has_feature(rv, VIRTIO_RPMSG_F_NS));
	CHECK(VIRTIO_ROLE_IS_DRIVER(hv) && VIRTIO_ROLE_IS_DEVICE(rv) && VIRTIO_ENABLED(1));
	uint32_t negotiated = 0;
	CHECK(virtio_negotiate_features(hv, 3u, &negotiated) == 0 && negotiated == 1u && hv->features == 1u);
	unsigned char cfg[4] = { 9, 8, 7, 6 }, got[4] = { 0 };
	CHECK(virtio_write_config(hv, 2, cfg, 4) == 0 && virtio_read_config(rv, 2, got, 4) == 0 && !memcmp(cfg, got, 4));
	CHECK(virtio_read_config(rv, 6, got, 4) == 0); /* past config_len: nothing read */
	CHECK(virtio_set_features(hv, 1u) == 0 && virtio_alloc_buf(hv, (void **)&got, 4, 4) == -ENXIO);
	CHECK(virtio_free_buf(hv, got) == -ENXIO && !strcmp(virtio_dev_name(VIRTIO_ID_NETWORK), "Network"));
	CHECK(virtio_dev_name(VIRTIO_ID_RPMSG) == NULL);
	struct virtqueue *vq = twin_host.rvdev.svq;
	CHECK(!virtqueue_full(vq) && virtqueue_get_buffer_length(vq, 0) == 256);
	virtqueue_dump(vq);
	unsigned long off = 0;
	struct remoteproc *rp = &twin_host.rproc;
	CHECK(remoteproc_get_io_with_name(rp, "shm") == &twin_host.io);
	CHECK(remoteproc_get_io_with_pa(rp, TWIN_SHM_PA + 4) == &twin_host.io);
	CHECK(remoteproc_get_io_with_da(rp, TWIN_SHM_PA + 0x100, &off) == &twin_host.io && off == 0x100);
	CHECK(remoteproc_get_io_with_va(rp, twin_host.mirror + 8) == &twin_host.io);
	CHECK(remoteproc_get_io_with_pa(rp, TWIN_SHM_PA + TWIN_SHM_SIZE) == NULL);
	CHECK(remoteproc_allocate_id(rp, RSC_NOTIFY_ID_ANY, RSC_NOTIFY_ID_ANY) == 3);
	CHECK(remoteproc_allocate_id(rp, 1, 2) == RSC_NOTIFY_ID_ANY); /* taken by the table */
	CHECK(remoteproc_config(rp, NULL) == -RPROC_EINVAL && remoteproc_start(NULL) == -RPROC_ENODEV);
}

void twin_metal_cases(void);
void twin_metal_cases(void)
{
	case_log_and_versions();
	case_devices_and_shmem();
	case_interrupts_and_sync();
	case_virtio_helpers();
}
