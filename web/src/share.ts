/**
 * A share bar (the Landscapes panel's, the Tiny network's): the link to this exact run, and
 * the run as gradlab or PyTorch code, shown in the page and copied to the clipboard where
 * the browser allows it.
 */
import { el } from "./controls.ts";

export interface ShareBar {
  readonly element: HTMLElement;
  /** Regenerates the code shown, after a change of the configuration. */
  update(): void;
}

type Shown = "link" | "gradlab" | "pytorch";

export interface ShareOptions {
  /** Prefix of the bar's element ids: `${prefix}copy-gradlab`, `${prefix}code` … */
  readonly prefix: string;
  /** The current setup as a gradlab or a PyTorch script. */
  readonly code: (language: "gradlab" | "pytorch") => string;
  /** What the link reproduces and what the gradlab script prints, said under the bar's heading. */
  readonly about: string;
}

export function shareBar({ prefix, code: script, about }: ShareOptions): ShareBar {
  let shown: Shown | null = null;
  const code = el("pre", { id: `${prefix}code`, class: "code", tabindex: "0", "aria-label": "the code to copy" });
  const note = el("p", { id: `${prefix}copy-note`, role: "status" });
  const text = (what: Shown): string => (what === "link" ? location.href : script(what));
  const button = (what: Shown, label: string): HTMLButtonElement => {
    const b = el("button", { type: "button", id: `${prefix}copy-${what}` }, label);
    b.addEventListener("click", async () => {
      shown = what;
      code.textContent = text(what);
      code.dataset.kind = what;
      code.hidden = false;
      try {
        await navigator.clipboard.writeText(code.textContent);
        note.textContent = "Copied to the clipboard.";
      } catch {
        note.textContent = "The browser did not allow copying: select the text below and copy it.";
      }
    });
    return b;
  };
  code.hidden = true;
  const element = el(
    "section",
    { class: "share", "aria-label": "share and take home" },
    el("h2", {}, "Share and take home"),
    el("p", {}, about),
    el("div", { class: "share-buttons" }, button("link", "Copy link"), button("gradlab", "Copy as gradlab"), button("pytorch", "Copy as PyTorch")),
    note,
    code,
  );
  return {
    element,
    update() {
      if (shown !== null) code.textContent = text(shown);
    },
  };
}
