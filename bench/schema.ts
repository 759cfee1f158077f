import { versions } from '../src/renderer/src/db/versions'

/** Every table of the app's Dexie schema at `version`, with its indexes as versions.ts declares them. */
export function schemaAt(version: number): Record<string, string> {
  const stores: Record<string, string> = {}
  for (const entry of versions.filter((each) => each.version <= version)) {
    for (const [name, spec] of Object.entries(entry.stores)) {
      if (spec === null) delete stores[name]
      else stores[name] = spec
    }
  }
  return stores
}

/** A table's secondary index names at `version` (its primary key left out). */
export const indexesAt = (version: number, table: string): string[] =>
  (schemaAt(version)[table] ?? '')
    .split(',')
    .slice(1)
    .map((name) => name.trim())
    .filter((name) => name !== '')
