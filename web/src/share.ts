/**
 * The share bar of the Landscapes panel: the link to this exact run, and the run as gradlab
 * or PyTorch code, shown in the page and copied to the clipboard where the browser allows it.
 */
import { gradlabCode, pytorchCode } from "./codegen.ts";
import type { Config } from "./config.ts";
import { el } from "./controls.ts";
import { LANDSCAPES, landscapeById } from "./landscapes.ts";

export interface ShareBar {
  readonly element: HTMLElement;
  /** Regenerates the code shown, after a change of the configuration. */
  update(): void;
}

type Shown = "link" | "gradlab" | "pytorch";

export function shareBar(config: Config): ShareBar {
  let shown: Shown | null = null;
  const code = el("pre", { id: "code", tabindex: "0", "aria-label": "the code to copy" });
  const note = el("p", { id: "copy-note", role: "status" });
  const text = (what: Shown): string => {
    const landscape = landscapeById(config.landscapes.landscape) ?? LANDSCAPES[0]!;
    if (what === "link") return location.href;
    return what === "gradlab" ? gradlabCode(config.landscapes, landscape) : pytorchCode(config.landscapes, landscape);
  };
  const button = (what: Shown, label: string): HTMLButtonElement => {
    const b = el("button", { type: "button", id: `copy-${what}` }, label);
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
    el(
      "p",
      {},
      "The link holds the whole setup and reproduces this run bit for bit. The gradlab code, run with ",
      el("code", {}, "npx tsx"),
      ", prints the numbers in the table above.",
    ),
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
