/**
 * Fuzzy matching for the command palette: every typed character must appear in order in the
 * label (case-insensitive); consecutive runs and word starts score higher. No match: null.
 */
export function fuzzyScore(query: string, label: string): number | null {
  const q = query.trim().toLowerCase()
  if (q === '') return 0
  const text = label.toLowerCase()
  let score = 0
  let at = 0
  let previous = -2
  for (const char of q) {
    if (char === ' ') continue
    const found = text.indexOf(char, at)
    if (found < 0) return null
    score += 1
    if (found === previous + 1) score += 2
    if (found === 0 || text[found - 1] === ' ') score += 3
    previous = found
    at = found + 1
  }
  // Shorter labels win ties: "Done" before "Go to Done".
  return score - label.length / 100
}

export type PaletteCommand = { id: string; label: string; hint?: string; run: () => void }

/** The commands matching a query, best first; all of them, in order, for an empty query. */
export function rankCommands(query: string, commands: readonly PaletteCommand[]): PaletteCommand[] {
  if (query.trim() === '') return [...commands]
  return commands
    .map((command) => ({ command, score: fuzzyScore(query, command.label) }))
    .filter((entry): entry is { command: PaletteCommand; score: number } => entry.score !== null)
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.command)
}
