import type { Intent, SentimentLabel, Triage } from '../../../shared/domain'
import type { ActionRow, EarshotDb, ResponderState } from './database'
import { settleInflow } from './inflow'
import { reportRowOf } from '../features/reports/compute/rows'
import { putReportRows } from './report-hours'
import { decisionOf, initialStatus, stateFor } from './state-keys'

/** What the responder said the triage should have been. */
export type Correction = { intent?: Intent; sentiment?: SentimentLabel; urgent?: boolean }

const intentWords: Record<Intent, string> = {
  complaint: 'complaint',
  question: 'question',
  praise: 'praise',
  idea: 'idea',
  other: 'other',
}

/** "intent → complaint, sentiment → negative, urgent → no" for the timeline. */
export function correctionWords(correction: Correction): string {
  const parts: string[] = []
  if (correction.intent) parts.push(`intent → ${intentWords[correction.intent]}`)
  if (correction.sentiment) parts.push(`sentiment → ${correction.sentiment}`)
  if (correction.urgent !== undefined) parts.push(`urgent → ${correction.urgent ? 'yes' : 'no'}`)
  return `Corrected ${parts.join(', ')}`
}

/**
 * Stores the triage main re-scored after learning a correction: the mention's content, its
 * state's copies of the sort and filter keys (so it moves to the right views), and one audit row,
 * in one transaction. What the responder decided (status, snooze, department) stays. Returns the
 * new state, or null for a mention Earshot never stored.
 */
export async function applyCorrection(
  db: EarshotDb,
  id: string,
  correction: Correction,
  triage: Triage,
  now: number = Date.now(),
): Promise<ResponderState | null> {
  // A delivery still in the inflow would be spread over the corrected content.
  await settleInflow(db)
  return db.transaction('rw', [db.mentions, db.states, db.actions, db.reportHours], async () => {
    const mention = await db.mentions.get(id)
    if (!mention) return null
    const corrected = { ...mention, triage }
    const current = await db.states.get(id)
    const decision = current
      ? decisionOf(current)
      : { status: initialStatus(corrected), updatedAt: now }
    const state = stateFor(corrected, decision)
    const action: ActionRow = {
      mentionId: id,
      authorId: mention.author.id,
      at: now,
      kind: 'correction',
      detail: { text: correctionWords(correction) },
    }
    await db.mentions.put(corrected)
    await db.states.put(state)
    await db.actions.add(action)
    // A corrected sentiment moves the mention between the report's figures.
    await putReportRows(db.reportHours, [reportRowOf(corrected, state)])
    return state
  })
}
