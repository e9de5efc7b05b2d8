/**
 * Counts the functions renamed by esbuild's keepNames helper (`__name(f, "f")`, which calls
 * Object.defineProperty(f, "name", …)) while `counting` is on. Imported first by
 * renames_probe.ts, before gradlab: each module tsx compiles keeps its own reference to
 * Object.defineProperty (esbuild's `__defProp`), taken when the module is evaluated, so
 * only modules evaluated after this one are seen.
 */
export const renamed: string[] = [];
export const counter = { counting: false };

const defineProperty = Object.defineProperty;
Object.defineProperty = ((target: object, key: PropertyKey, descriptor: PropertyDescriptor) => {
  if (counter.counting && key === "name" && typeof target === "function") renamed.push(String(descriptor.value));
  return defineProperty(target, key, descriptor);
}) as typeof Object.defineProperty;
