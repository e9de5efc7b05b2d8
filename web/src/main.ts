/**
 * The playground page: four panels (Landscapes, Step inspector, Schedules, Tiny network) and the share bar. The whole
 * configuration lives in the URL's query (config.ts), rewritten after every change, so a
 * copied link opens the same run.
 */
import { gradlabCode, pytorchCode } from "./codegen.ts";
import { type Config, type Panel, fromQuery, toQuery } from "./config.ts";
import { inspectorPanel } from "./inspector_panel.ts";
import { LANDSCAPES, landscapeById } from "./landscapes.ts";
import { landscapesPanel } from "./landscapes_panel.ts";
import { networkPanel } from "./network_panel.ts";
import { schedulesPanel } from "./schedules_panel.ts";
import { shareBar } from "./share.ts";

const config: Config = fromQuery(location.search);
const app = document.getElementById("app")!;

const remember = (): void => history.replaceState(null, "", `?${toQuery(config)}`);
const changed = (): void => {
  remember();
  share.update();
};

const share = shareBar({
  prefix: "",
  code: (language) => {
    const landscape = landscapeById(config.landscapes.landscape) ?? LANDSCAPES[0]!;
    return language === "gradlab" ? gradlabCode(config.landscapes, landscape) : pytorchCode(config.landscapes, landscape);
  },
  about: "The link holds the whole setup and reproduces this run bit for bit. The gradlab code, run with npx tsx, prints the numbers in the table above.",
});
const landscapes = landscapesPanel(config.landscapes, changed, (slot) => {
  Object.assign(config.inspector, { landscape: config.landscapes.landscape, start: [...config.landscapes.start], at: 0, slot: structuredClone(slot) });
  inspector.load();
  show("inspector");
});
const inspector = inspectorPanel(config.inspector, changed);
const schedules = schedulesPanel(config.schedules, changed);
const network = networkPanel(config.network, changed);
const panels = { landscapes, inspector, schedules, network };
app.append(landscapes.element, inspector.element, schedules.element, network.element, share.element);

const tabs: Record<Panel, HTMLElement> = {
  landscapes: document.getElementById("tab-landscapes")!,
  inspector: document.getElementById("tab-inspector")!,
  schedules: document.getElementById("tab-schedules")!,
  network: document.getElementById("tab-network")!,
};
function show(panel: Panel): void {
  config.panel = panel;
  for (const [name, tab] of Object.entries(tabs)) tab.setAttribute("aria-selected", String(name === panel));
  for (const [name, p] of Object.entries(panels)) p.element.hidden = name !== panel;
  share.element.hidden = panel !== "landscapes";
  panels[panel].redraw();
  changed();
}
for (const [name, tab] of Object.entries(tabs)) tab.addEventListener("click", () => show(name as Panel));
show(config.panel);

// Shortcuts, unless the focus is in a field (where the keys type).
document.addEventListener("keydown", (event) => {
  const target = event.target as HTMLElement;
  if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
  if (target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter")) return;
  const action = panels[config.panel].keys[event.key.toLowerCase()];
  if (action === undefined) return;
  event.preventDefault();
  action();
});

/** What the browser test reads besides the page itself: frames drawn while animating. */
(window as unknown as { playground: object }).playground = { frames: landscapes.frames };
