/**
 * The controls of one optimizer's or scheduler's options, built from its declared
 * signature (catalog.ts): a checkbox for a flag, a select for a choice of strings, a text
 * field for a number, a tuple or null. Each shows PyTorch's default; a value equal to the
 * default is dropped from the configuration, so the URL and the copied code name only what
 * was changed. A value of the wrong kind is refused with the signature's own words.
 */
import type { Entry, Option } from "./catalog.ts";

/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}

/** A number field: `valid` decides what is accepted (a refused value is marked, and changes nothing); `set` takes the rest. */
export function numberInput(id: string, value: number, valid: (v: number) => boolean, set: (v: number) => void, step = "any"): HTMLInputElement {
  const input = el("input", { id, type: "number", step, inputmode: "decimal" });
  input.value = String(value);
  input.addEventListener("change", () => {
    const v = Number(input.value);
    if (input.value.trim() === "" || !Number.isFinite(v) || !valid(v)) {
      input.setAttribute("aria-invalid", "true");
      return;
    }
    input.removeAttribute("aria-invalid");
    set(v);
  });
  return input;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A value as its text field shows it: `0.001`, `0.9, 0.999`, `null`, `[100, 200]`. */
export const showValue = (value: unknown): string => (Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join(", ") : (JSON.stringify(value) ?? ""));

/** The value a text field holds, or an error message. */
export function readValue(option: Option, text: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  const wantsArray = option.expected.startsWith("[") || /array/.test(option.expected);
  const source = wantsArray && !trimmed.startsWith("[") && trimmed.includes(",") ? `[${trimmed}]` : trimmed;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    return { error: `${option.name} must be ${option.expected}` };
  }
  if (!option.test(value)) return { error: `${option.name} must be ${option.expected}, not ${trimmed}` };
  return { value };
}

const idSafe = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, "-");

/**
 * The controls for `entry`'s options; `values` holds the options set so far and is edited in
 * place; `changed` is called after each accepted edit.
 */
export function optionControls(entry: Entry, values: Record<string, unknown>, idPrefix: string, changed: () => void): HTMLElement {
  const grid = el("div", { class: "options" });
  for (const option of entry.options) {
    const id = idSafe(`${idPrefix}-${option.name}`);
    const current = option.name in values ? values[option.name] : option.default;
    const hint = option.required ? "required: PyTorch has no default" : `PyTorch's default: ${showValue(option.default)}`;
    const message = el("span", { class: "option-error", role: "alert" });
    const commit = (value: unknown): void => {
      if (!option.required && same(value, option.default)) delete values[option.name];
      else values[option.name] = value;
      changed();
    };
    let input: HTMLInputElement | HTMLSelectElement;
    if (option.control.type === "boolean") {
      const box = el("input", { type: "checkbox", id, "data-option": option.name });
      box.checked = current === true;
      box.addEventListener("change", () => commit(box.checked));
      input = box;
    } else if (option.control.type === "choice") {
      const select = el("select", { id, "data-option": option.name });
      for (const v of option.control.values) select.append(el("option", { value: JSON.stringify(v) }, v === null ? "None (null)" : v));
      select.value = JSON.stringify(current ?? null);
      select.addEventListener("change", () => commit(JSON.parse(select.value) as unknown));
      input = select;
    } else {
      const field = el("input", { type: "text", id, inputmode: "decimal", spellcheck: "false", "data-option": option.name });
      field.value = current === undefined ? "" : showValue(current);
      field.addEventListener("change", () => {
        const read = readValue(option, field.value);
        if ("error" in read) {
          message.textContent = read.error;
          field.setAttribute("aria-invalid", "true");
          return;
        }
        message.textContent = "";
        field.removeAttribute("aria-invalid");
        commit(read.value);
      });
      input = field;
    }
    input.title = `${option.name}: ${option.expected}. ${hint}`;
    const changedMark = option.name in values && !option.required ? " changed" : "";
    grid.append(
      el("label", { for: id, class: `option-name${changedMark}` }, option.name),
      el(
        "span",
        { class: "option-input" },
        input,
        el("small", { class: "option-default" }, option.required ? "required (no default)" : `default ${showValue(option.default)}`),
        message,
      ),
    );
  }
  return grid;
}
