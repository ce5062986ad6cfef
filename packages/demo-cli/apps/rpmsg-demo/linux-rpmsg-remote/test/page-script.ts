/**
 * Test helper: run the status page's inline script against the elements of
 * a rendered page, in a fake document with a controllable clock (no
 * browser needed; the Chromium test checks the real thing).
 */
import { runInNewContext } from "node:vm";

interface FakeElement {
  textContent: string;
  className: string;
  hidden: boolean;
  readonly attrs: Record<string, string>;
  getAttribute(name: string): string | null;
}

/** A page whose script ran: read its elements, move its clock. */
export interface ScriptedPage {
  /** Text of the element with this id. */
  text(id: string): string;
  /** Whether the element with this id is hidden. */
  hidden(id: string): boolean;
  /** The class of the root element. */
  root(): string;
  /** Let `ms` pass (the script's interval runs). */
  advance(ms: number): void;
}

/** Run the `<script>` of `html` with `document.lastModified` at `lastModified` and `Date.now()` at `now` (epoch ms). */
export function runPageScript(html: string, clock: { lastModified: number; now: number }): ScriptedPage {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (script === undefined) throw new Error("the page has no script");
  const elements = new Map<string, FakeElement>();
  for (const m of html.matchAll(/<(\w+) id="([^"]+)"([^>]*)>([^<]*)/g)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? "").matchAll(/([\w-]+)(?:="([^"]*)")?/g)) attrs[a[1] as string] = a[2] ?? "";
    elements.set(m[2] as string, {
      textContent: m[4] ?? "",
      className: attrs["class"] ?? "",
      hidden: "hidden" in attrs,
      attrs,
      getAttribute: (name) => attrs[name] ?? null,
    });
  }
  let now = clock.now;
  let tick: (() => void) | undefined;
  const root = { className: "" };
  const FakeDate = { now: () => now, parse: (s: string) => (s === "LM" ? clock.lastModified : Number.NaN) };
  runInNewContext(script, {
    document: { lastModified: "LM", documentElement: root, getElementById: (id: string) => elements.get(id) ?? null },
    Date: FakeDate,
    setInterval: (fn: () => void) => void (tick = fn),
    isFinite,
    Number,
    Math,
  });
  const el = (id: string): FakeElement => {
    const e = elements.get(id);
    if (e === undefined) throw new Error(`no element #${id}`);
    return e;
  };
  return {
    text: (id) => el(id).textContent,
    hidden: (id) => el(id).hidden,
    root: () => root.className,
    advance(ms) {
      now += ms;
      tick?.();
    },
  };
}
