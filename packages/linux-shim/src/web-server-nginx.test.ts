import { describe, expect, it } from "vitest";
import { nginxConfig } from "./_nginx-config.ts";
import { DEFAULT_WEB_SERVER_LIMITS } from "./web-server-options.ts";
import { findNginx } from "./web-server-nginx.ts";

describe("nginxConfig", () => {
  const conf = nginxConfig({ prefix: "/tmp/p", root: "/srv/html", host: "127.0.0.1", port: 8080 });

  it("serves the root on the given address with all state under the prefix", () => {
    expect(conf).toContain("listen 127.0.0.1:8080 backlog=1024;");
    expect(conf).toContain(`root "/srv/html";`);
    expect(conf).toContain(`pid "/tmp/p/nginx.pid";`);
    expect(conf).toContain(`client_body_temp_path "/tmp/p/tmp/body";`);
    expect(conf).not.toMatch(/^user /m);
  });

  it("quotes a root and a prefix with spaces in their paths as one nginx string each", () => {
    const spaced = nginxConfig({ prefix: "/tmp/my prefix", root: "/home/Jane Doe/web root", host: "127.0.0.1", port: 8080 });
    expect(spaced).toContain(`root "/home/Jane Doe/web root";`);
    expect(spaced).toContain(`pid "/tmp/my prefix/nginx.pid";`);
  });

  it("lists no directories, hides dot files, refuses symlinks and asks for revalidation", () => {
    expect(conf).toContain("autoindex off;");
    expect(conf).toContain("location ~ /\\. { return 404; }");
    expect(conf).toContain("disable_symlinks on from=$document_root;");
    expect(conf).toContain("add_header Cache-Control no-cache always;");
  });

  it("carries the limits of the built-in engine", () => {
    expect(conf).toContain("client_header_timeout 10s;");
    expect(conf).toContain("keepalive_timeout 5s;");
    expect(conf).toContain("send_timeout 10s;");
    expect(conf).toContain("large_client_header_buffers 4 4k;");
    expect(conf).toContain("limit_conn v8r_per_address 1024;");
    expect(conf).toContain("events { worker_connections 2056; }");
    const tight = nginxConfig({
      prefix: "/p", root: "/r", host: "127.0.0.1", port: 80,
      limits: { ...DEFAULT_WEB_SERVER_LIMITS, headersTimeoutMs: 250, idleTimeoutMs: 1500, maxConnections: 10 },
    });
    expect(tight).toContain("client_header_timeout 250ms;");
    expect(tight).toContain("send_timeout 1500ms;");
    expect(tight).toContain("limit_conn v8r_per_address 5;");
  });

  it("brackets an IPv6 address and adds a user when asked", () => {
    const v6 = nginxConfig({ prefix: "/p", root: "/r", host: "::1", port: 81, user: "root" });
    expect(v6).toContain("listen [::1]:81 backlog=1024;");
    expect(v6).toMatch(/^user root;$/m);
  });

  it.each([[`/srv/"x`], ["/srv/a;b"], ["/srv/$x"], ["/srv/a\nb"]])("refuses to put %j into the config", (root) => {
    expect(() => nginxConfig({ prefix: "/p", root, host: "127.0.0.1", port: 80 })).toThrow(TypeError);
  });
});

describe("findNginx", () => {
  it("names the missing binary given as nginxPath", async () => {
    await expect(findNginx("/nonexistent/nginx")).rejects.toMatchObject({
      code: "ENGINE_MISSING",
      message: "[linux-shim] cannot start the nginx engine: the nginx binary given (v8r-demo --nginx PATH, nginxPath in the API), /nonexistent/nginx, is not an executable file",
    });
  });

  it("says where it looked when there is no nginx anywhere", async () => {
    await expect(findNginx(undefined, "/nonexistent/bin", "/nonexistent/sbin/nginx")).rejects.toThrow(
      `[linux-shim] cannot start the nginx engine: no nginx binary found (looked for "nginx" on PATH and /nonexistent/sbin/nginx); install it (Debian: apt-get install nginx) or give its path (v8r-demo --nginx PATH; nginxPath in the API)`,
    );
  });
});
