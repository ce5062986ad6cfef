import { describe, expect, it } from "vitest";
import { DASHBOARD_SCRIPT } from "./_dashboard-script.ts";
import { renderDashboardPage } from "./dashboard-page.ts";

describe("renderDashboardPage", () => {
  it("has an inline script that parses as JavaScript", () => {
    expect(() => new Function(DASHBOARD_SCRIPT)).not.toThrow();
    expect(renderDashboardPage()).toContain(DASHBOARD_SCRIPT);
  });

  it("escapes the title and the status page link", () => {
    const html = renderDashboardPage({ title: "<script>x</script>", statusPage: 'a"b' });
    expect(html).not.toContain("<script>x</script>");
    expect(html).toContain("&#60;script&#62;x&#60;/script&#62;");
    expect(html).toContain('href="a&#34;b"');
  });

  it("never puts snapshot data into HTML: the script builds nodes with textContent", () => {
    expect(DASHBOARD_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
