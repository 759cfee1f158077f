import type { Transaction } from 'dexie'

type Keys = { createdAt: number; urgency: number }
type MentionKeys = { id: string; createdAt: number; triage: { urgency: number } }
type StateRow = { id: string } & Partial<Keys>

/**
 * v1 → v2: copies each mention's createdAt and urgency onto its state. Reads mentions one at a time
 * (a map of two numbers per id, not the content) so a large history fits in memory.
 */
export async function fillQueueKeys(tx: Transaction): Promise<void> {
  const keys = new Map<string, Keys>()
  await tx.table<MentionKeys, string>('mentions').each((mention) => {
    keys.set(mention.id, { createdAt: mention.createdAt, urgency: mention.triage.urgency })
  })
  await tx
    .table<StateRow, string>('states')
    .toCollection()
    .modify((state) => {
      const found = keys.get(state.id)
      if (found) Object.assign(state, found)
    })
}
