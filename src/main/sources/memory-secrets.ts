import type { SecretAccess } from './connector'

/**
 * Secrets held in memory only: the CLI's `poll --source` (credentials typed into the JSON) and
 * tests. Main's credential store is the durable one.
 */
export function memorySecrets(initial: Readonly<Record<string, string>> | null): SecretAccess {
  let current: Record<string, string> | null = initial ? { ...initial } : null
  return {
    get: () => current,
    update: async (patch) => {
      const next: Record<string, string> = { ...current }
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete next[key]
        else next[key] = value
      }
      current = next
    },
  }
}
