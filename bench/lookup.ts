/**
 * Finds a class or function of gradlab by name: in the public namespace when it is exported
 * there, else from its source file. The optimizer and nn parts are written alongside this
 * harness, so a section reports "n/a" rather than failing while a piece is missing.
 */
export async function lookup<T>(namespace: unknown, name: string, file: string): Promise<T | undefined> {
  const exported = (namespace as Record<string, unknown> | undefined)?.[name];
  if (exported !== undefined) return exported as T;
  try {
    const module = (await import(new URL(`../src/${file}`, import.meta.url).href)) as Record<string, unknown>;
    return module[name] as T | undefined;
  } catch {
    return undefined;
  }
}
