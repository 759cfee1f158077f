import type { EarshotDb, ResponderState, ResponderStatus } from './database'

/** Marks a mention done or reopens it. Creates the state if the mention has none yet. */
export async function setStatus(
  db: EarshotDb,
  id: string,
  status: ResponderStatus,
  now: number = Date.now(),
): Promise<ResponderState> {
  const state: ResponderState =
    status === 'done' ? { id, status, updatedAt: now, doneAt: now } : { id, status, updatedAt: now }
  await db.states.put(state)
  return state
}
