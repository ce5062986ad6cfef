/**
 * The trace events the Linux shim publishes (`ctx.publish`): the layer that
 * creates the platform names them in its bus's event union, e.g.
 * `createPlatform<XenBusEvent<LinuxShimEvent | MyAppEvent>>(...)`, so its
 * listeners get their fields typed.
 *
 * @module
 */
import type { LinuxFileAnswer } from "./control-file-reader.ts";
import type { LinuxRequest } from "./host-request.ts";

/** Every event the Linux shim publishes: answers to `linux.read-file` and requests to the host. */
export type LinuxShimEvent = LinuxFileAnswer | LinuxRequest;
