import { describe, expect, it } from "vitest";
import { APPS_MARK, appAt, pageApps, servedApps, withAppList } from "./_browser-apps.ts";

const doc = (html: string) => ({
  getElementById: (id: string) => {
    const m = new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`).exec(html);
    return m === null ? null : { textContent: m[1] ?? "" };
  },
});

describe("the programs of v8r-demo browser --app", () => {
  it("are served one URL each, numbered, under their file names", () => {
    const apps = servedApps([{ domain: "zephyr", file: "/x/ping.wasm" }, { domain: "linux", file: "/y/my echo.wasm" }]);
    expect(apps.map((a) => a.url)).toEqual(["/user-app/0/ping.wasm", "/user-app/1/my%20echo.wasm"]);
    expect(appAt(apps, "/user-app/1/my%20echo.wasm")?.file).toBe("/y/my echo.wasm");
    expect(appAt(apps, "/user-app/0/echo.wasm")).toBeUndefined();
  });

  it("reach the page as a list it reads back, with < escaped", () => {
    const html = withAppList(`<head>${APPS_MARK}</head>`, [{ domain: "zephyr", url: "/user-app/0/</script>.wasm" }]);
    expect(html).not.toContain("</script>.wasm");
    expect(pageApps(doc(html))).toEqual([{ domain: "zephyr", url: "/user-app/0/</script>.wasm" }]);
    expect(pageApps(doc(withAppList(`<head>${APPS_MARK}</head>`, [])))).toEqual([]);
    expect(pageApps(doc("<head></head>"))).toEqual([]);
  });

  it("a list that is not one is refused with a clear error", () => {
    expect(() => pageApps(doc('<script type="application/json" id="v8r-apps">[{"domain":1}]</script>'))).toThrow("a program entry needs a domain and a url");
  });
});
