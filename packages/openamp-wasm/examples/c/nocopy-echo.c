/*
 * nocopy-echo: the zero-copy remote of the v8r C examples. It keeps each
 * received buffer (rpmsg_hold_rx_buffer) instead of copying it, and answers
 * from a transmit buffer it fills in place (rpmsg_get_tx_payload_buffer,
 * rpmsg_send_nocopy), then gives the received buffer back
 * (rpmsg_release_rx_buffer). Pair it with ping (which may send zero-copy too):
 *
 *   npx v8r-cc -o nocopy-echo.wasm nocopy-echo.c
 *   npx v8r-demo --app zephyr=ping.wasm --app linux=nocopy-echo.wasm
 */
#include <stdio.h>
#include <string.h>
#include <openamp/open_amp.h>
#include "platform_info.h"

#define SERVICE "rpmsg-echo"
#define MAX_HELD 64

struct held {
	struct rpmsg_endpoint *ept;
	void *data;
	size_t len;
};

static struct rpmsg_endpoint ept;
static struct held held[MAX_HELD];
static unsigned int nheld;
static int done;
static unsigned long echoed, failed;

static void answer_held(void);

static int on_message(struct rpmsg_endpoint *e, void *data, size_t len, uint32_t src, void *priv)
{
	(void)src;
	(void)priv;
	if (nheld == MAX_HELD)
		answer_held(); /* a long burst: answer what we keep before keeping more */
	rpmsg_hold_rx_buffer(e, data); /* valid after this callback, until released */
	held[nheld++] = (struct held){ e, data, len };
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *e)
{
	(void)e;
	done = 1;
}

/* Answer every held message from a transmit buffer filled in place. */
static void answer_held(void)
{
	for (unsigned int i = 0; i < nheld; i++) {
		uint32_t size = 0;
		void *tx = rpmsg_get_tx_payload_buffer(held[i].ept, &size, 1);
		if (!tx || size < held[i].len) {
			failed++;
		} else {
			memcpy(tx, held[i].data, held[i].len);
			if (rpmsg_send_nocopy(held[i].ept, tx, (int)held[i].len) < 0)
				failed++;
			else
				echoed++;
		}
		rpmsg_release_rx_buffer(held[i].ept, held[i].data);
	}
	nheld = 0;
}

int main(int argc, char *argv[])
{
	void *platform;
	if (platform_init(argc, argv, &platform))
		return 1;
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_DEVICE, NULL, NULL);
	if (!rdev || rpmsg_create_ept(&ept, rdev, SERVICE, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, on_message, on_unbind)) {
		fprintf(stderr, "nocopy-echo: no rpmsg device or endpoint\n");
		return 1;
	}
	printf("nocopy-echo: serving \"%s\" at %u\n", SERVICE, (unsigned int)ept.addr);
	while (!done) {
		platform_poll(platform);
		answer_held();
	}
	rpmsg_destroy_ept(&ept);
	printf("nocopy-echo: echoed %lu messages, %lu failed\n", echoed, failed);
	platform_release_rpmsg_vdev(rdev, platform);
	platform_cleanup(platform);
	return failed ? 1 : 0;
}
