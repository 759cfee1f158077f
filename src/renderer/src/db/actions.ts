import type { EarshotDb, ResponderState, ResponderStatus } from './database'

/**
 * Marks a mention done or reopens it, keeping its sort keys. Returns null for an id Earshot has
 * never stored, since a state without its mention could not be shown anywhere.
 */
export async function setStatus(
  db: EarshotDb,
  id: string,
  status: ResponderStatus | 'toggle',
  now: number = Date.now(),
): Promise<ResponderState | null> {
  return db.transaction('rw', db.states, db.mentions, async () => {
    const current = await db.states.get(id)
    let keys: Pick<ResponderState, 'createdAt' | 'urgency'>
    if (current) keys = { createdAt: current.createdAt, urgency: current.urgency }
    else {
      const mention = await db.mentions.get(id)
      if (!mention) return null
      keys = { createdAt: mention.createdAt, urgency: mention.triage.urgency }
    }
    const next = status === 'toggle' ? (current?.status === 'done' ? 'open' : 'done') : status
    const state: ResponderState =
      next === 'done'
        ? { id, status: next, updatedAt: now, doneAt: now, ...keys }
        : { id, status: next, updatedAt: now, ...keys }
    await db.states.put(state)
    return state
  })
}
