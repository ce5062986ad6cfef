/*
 * v8r_guest.h: what a v8r guest program may tell the platform and hear from
 * it besides its console (the imports of module "v8r_guest", which the guest
 * OS gives every WASI program it runs): events on the platform trace bus (a
 * dashboard, a test, the demo's summary read them) and control messages from
 * the host (the demo's dashboard asks the apps through them), both as JSON.
 * Not part of OpenAMP or Zephyr: real hardware has no such channel.
 */
#ifndef V8R_GUEST_H
#define V8R_GUEST_H

#include <stddef.h>

#define V8R_GUEST_IMPORT(name) __attribute__((import_module("v8r_guest"), import_name(#name)))

/**
 * Publish one event on the trace bus: json is a JSON object with a "type"
 * (the platform adds the domain). Returns 0, or -1 when it is not a JSON
 * object with a string type.
 */
V8R_GUEST_IMPORT(publish) int v8r_guest_publish(const char *json, size_t len);

/**
 * Take the oldest control message the host posted to the domain, as JSON:
 * copies it into buf and returns its length; 0 when there is none; -1 when
 * it is longer than cap (it is dropped). A message arriving ends a wait of
 * the program (as an event on its channel does), so a program looks here
 * after every wait.
 */
V8R_GUEST_IMPORT(control) int v8r_guest_control(char *buf, size_t cap);

#endif
