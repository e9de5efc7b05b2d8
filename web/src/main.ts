/**
 * The playground page: two panels (Landscapes, Schedules) and the share bar. The whole
 * configuration lives in the URL's query (config.ts), rewritten after every change, so a
 * copied link opens the same run.
 */
import { type Config, type Panel, fromQuery, toQuery } from "./config.ts";
import { landscapesPanel } from "./landscapes_panel.ts";
import { schedulesPanel } from "./schedules_panel.ts";
import { shareBar } from "./share.ts";

const config: Config = fromQuery(location.search);
const app = document.getElementById("app")!;

const remember = (): void => history.replaceState(null, "", `?${toQuery(config)}`);
const changed = (): void => {
  remember();
  share.update();
};

const share = shareBar(config);
const landscapes = landscapesPanel(config.landscapes, changed);
const schedules = schedulesPanel(config.schedules, changed);
app.append(landscapes.element, schedules.element, share.element);

const tabs: Record<Panel, HTMLElement> = { landscapes: document.getElementById("tab-landscapes")!, schedules: document.getElementById("tab-schedules")! };
function show(panel: Panel): void {
  config.panel = panel;
  for (const [name, tab] of Object.entries(tabs)) tab.setAttribute("aria-selected", String(name === panel));
  landscapes.element.hidden = panel !== "landscapes";
  schedules.element.hidden = panel !== "schedules";
  share.element.hidden = panel !== "landscapes";
  (panel === "landscapes" ? landscapes : schedules).redraw();
  changed();
}
for (const [name, tab] of Object.entries(tabs)) tab.addEventListener("click", () => show(name as Panel));
show(config.panel);

// Shortcuts, unless the focus is in a field (where the keys type).
document.addEventListener("keydown", (event) => {
  const target = event.target as HTMLElement;
  if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
  if (target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter")) return;
  const action = config.panel === "landscapes" ? landscapes.keys[event.key.toLowerCase()] : undefined;
  if (action === undefined) return;
  event.preventDefault();
  action();
});

/** What the browser test reads besides the page itself: frames drawn while animating. */
(window as unknown as { playground: object }).playground = { frames: landscapes.frames };
