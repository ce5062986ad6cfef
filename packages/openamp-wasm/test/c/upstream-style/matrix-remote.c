/*
 * The remote of the matrix-multiply pair (see matrix-host.c). It keeps each
 * request's receive buffer past its callback (rpmsg_hold_rx_buffer) and
 * answers from the main loop once platform_poll() has returned, the deferred
 * pattern of OpenAMP's zero-copy echo: the product is written into a
 * transmit buffer from rpmsg_get_tx_payload_buffer() and sent with
 * rpmsg_send_nocopy(), then the request's buffer is released. Its endpoint
 * takes a dynamic address, so destroying it after the shutdown word tells
 * the host. main is weak, as in OpenAMP's newer examples, where a board's own
 * main may take its place.
 */
#include <stdio.h>
#include <string.h>
#include <openamp/open_amp.h>
#include "platform_info.h"
#include "matrix.h"

static struct rpmsg_endpoint lept;
static void *held;
static size_t held_len;
static int shutdown_req;

static int on_request(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)src;
	(void)priv;
	if (len == sizeof(unsigned int) && *(unsigned int *)data == SHUTDOWN_MSG) {
		shutdown_req = 1;
		return RPMSG_SUCCESS;
	}
	if (held) {
		printf("matrix-remote: a request came before the last one was answered\r\n");
		return RPMSG_SUCCESS;
	}
	rpmsg_hold_rx_buffer(ept, data);
	held = data;
	held_len = len;
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *ept)
{
	(void)ept;
	printf("matrix-remote: the host's endpoint went away\r\n");
	shutdown_req = 1;
}

/* Answer the held request; 0 when the product went out. */
static int answer(void)
{
	struct matrix in[2];
	int ret = -1;
	if (held_len == sizeof(in)) {
		memcpy(in, held, sizeof(in));
		uint32_t room = 0;
		struct matrix *out = rpmsg_get_tx_payload_buffer(&lept, &room, 1);
		if (out && room >= sizeof(*out)) {
			matrix_multiply(&in[0], &in[1], out);
			ret = rpmsg_send_nocopy(&lept, out, sizeof(*out));
		} else if (out) {
			rpmsg_release_tx_buffer(&lept, out);
		}
	}
	rpmsg_release_rx_buffer(&lept, held);
	held = NULL;
	return ret < 0 ? -1 : 0;
}

int __attribute__((weak)) main(int argc, char *argv[])
{
	void *platform;
	if (platform_init(argc, argv, &platform)) {
		printf("matrix-remote: platform_init failed\r\n");
		return 1;
	}
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_SLAVE, NULL, NULL);
	int answered = 0, failed = 0;
	if (rdev && !rpmsg_create_ept(&lept, rdev, RPMSG_SERVICE_NAME, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, on_request,
				      on_unbind)) {
		printf("matrix-remote: buffers: tx %#x, rx %#x\r\n", rpmsg_get_tx_buffer_size(&lept),
		       rpmsg_get_rx_buffer_size(&lept));
		while (!shutdown_req) {
			platform_poll(platform);
			if (held) {
				if (answer())
					failed++;
				else
					answered++;
			}
		}
		printf("matrix-remote: answered %d requests, %d failed\r\n", answered, failed);
		rpmsg_destroy_ept(&lept);
	} else {
		failed++;
	}
	if (rdev)
		platform_release_rpmsg_vdev(rdev, platform);
	platform_cleanup(platform);
	return failed ? 1 : 0;
}
