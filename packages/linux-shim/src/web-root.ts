/**
 * The web server's document root of the Linux guest: nginx's default
 * `/usr/share/nginx/html`. `bootLinux` creates it; `nginx` on the console
 * asks the host to serve it.
 *
 * @module
 */

/** Absolute guest path of the document root. */
export const WEB_ROOT = "/usr/share/nginx/html";
