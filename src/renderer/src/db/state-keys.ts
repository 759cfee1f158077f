import type { Table } from 'dexie'
import { URGENT_AT, type Mention } from '../../../shared/domain'
import type { Flag, ResponderState, ResponderStatus } from './database'
import { forEachPage } from './pages'

/**
 * The default policy: answer the people who talk to the brand (Inbox), watch the rest (Watching).
 * Urgent overheard mentions still show in Urgent. The brand's own posts need no one.
 */
export const initialStatus = (mention: Mention): ResponderStatus =>
  mention.triage.own ? 'own' : mention.triage.directed ? 'open' : 'monitor'

/** Open or watched mentions at or above URGENT_AT make up the Urgent view. */
export const isUrgent = (status: ResponderStatus, urgency: number): boolean =>
  (status === 'open' || status === 'monitor') && urgency >= URGENT_AT

/** Open mentions directed at the brand make up the Inbox. */
export const isInbox = (status: ResponderStatus, directed: Flag): boolean =>
  status === 'open' && directed === 1

/**
 * Sets the sparse view keys (`urgent`, `inbox`) a state's status, urgency and direction call for,
 * and removes the others. A key is present only when true: IndexedDB leaves a record out of an
 * index whose key path it lacks, so the many states in neither view cost those indexes nothing at
 * ingest. Returns the same object.
 */
export function withViewKeys<T extends ResponderState>(state: T): T {
  if (isUrgent(state.status, state.urgency)) state.urgent = 1
  else delete state.urgent
  if (isInbox(state.status, state.directed)) state.inbox = 1
  else delete state.inbox
  return state
}

/** What the responder decided: the part of a state a re-delivery of the mention never changes. */
export type Decision = Pick<ResponderState, 'status' | 'updatedAt'> & {
  doneAt?: number | undefined
  snoozedUntil?: number | undefined
  department?: string | undefined
  followUpAt?: number | undefined
  remindedAt?: number | undefined
}

/** States are rewritten this many at a time, so a rewrite never holds 100,000 of them. */
const REFRESH_PAGE = 1000

/**
 * Gives every stored state the view keys its own fields call for (withViewKeys), a page at a time:
 * states written before schema v6 have no `inbox`, so without this the open directed ones would be
 * missing from the Inbox index. Only the states whose views disagree with their keys are written
 * (the Inbox's, a quarter or so): a rewrite of all of them held a 200,000-mention history's first
 * start for a minute. The `urgent: 0` of the others stays, as true as absent (every reader asks
 * for 1), and goes with the state's next write. The v6 upgrade runs it, and so does a restore of a
 * backup made before v6. Runs inside the caller's transaction when there is one.
 */
export async function refreshViewKeys(table: Table): Promise<void> {
  // Untyped: the upgrade hands the table over by name, a restore from its typed database.
  const states = table as Table<ResponderState, string>
  await forEachPage(states, REFRESH_PAGE, async (page) => {
    const wrong = page.filter(
      (state) =>
        (state.inbox === 1) !== isInbox(state.status, state.directed) ||
        (state.urgent === 1) !== isUrgent(state.status, state.urgency),
    )
    if (wrong.length > 0) await states.bulkPut(wrong.map((state) => withViewKeys(state)))
  })
}

/** A state with fresh copies of the mention's filter and sort keys around the given decision. */
export function stateFor(mention: Mention, decision: Decision): ResponderState {
  const { triage } = mention
  const state: ResponderState = {
    id: mention.id,
    status: decision.status,
    updatedAt: decision.updatedAt,
    createdAt: mention.createdAt,
    urgency: triage.urgency,
    directed: triage.directed ? 1 : 0,
    intent: triage.intent ?? 'other',
    sentiment: triage.sentiment.label,
    sourceId: mention.sourceId,
    platform: mention.platform,
    authorId: mention.author.id,
  }
  withViewKeys(state)
  // Optional keys are left out rather than stored as undefined, so they stay out of the indexes.
  if (decision.doneAt !== undefined) state.doneAt = decision.doneAt
  if (decision.snoozedUntil !== undefined) state.snoozedUntil = decision.snoozedUntil
  if (decision.department !== undefined) state.department = decision.department
  // A follow-up belongs to the wait on a department: any other status drops it.
  if (decision.status === 'waiting') {
    if (decision.followUpAt !== undefined) state.followUpAt = decision.followUpAt
    if (decision.remindedAt !== undefined) state.remindedAt = decision.remindedAt
  }
  return state
}

/** The decision part of a stored state. */
export const decisionOf = (state: ResponderState): Decision => ({
  status: state.status,
  updatedAt: state.updatedAt,
  doneAt: state.doneAt,
  snoozedUntil: state.snoozedUntil,
  department: state.department,
  followUpAt: state.followUpAt,
  remindedAt: state.remindedAt,
})
