import { URGENT_AT, type Mention } from '../../../shared/domain'
import type { Flag, ResponderState, ResponderStatus } from './database'

/**
 * The default policy: answer the people who talk to the brand (Inbox), watch the rest (Watching).
 * Urgent overheard mentions still show in Urgent. The brand's own posts need no one.
 */
export const initialStatus = (mention: Mention): ResponderStatus =>
  mention.triage.own ? 'own' : mention.triage.directed ? 'open' : 'monitor'

/** Open or watched mentions at or above URGENT_AT make up the Urgent view. */
export const isUrgent = (status: ResponderStatus, urgency: number): Flag =>
  (status === 'open' || status === 'monitor') && urgency >= URGENT_AT ? 1 : 0

/** What the responder decided: the part of a state a re-delivery of the mention never changes. */
export type Decision = Pick<ResponderState, 'status' | 'updatedAt'> & {
  doneAt?: number | undefined
  snoozedUntil?: number | undefined
  department?: string | undefined
  followUpAt?: number | undefined
  remindedAt?: number | undefined
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
    urgent: isUrgent(decision.status, triage.urgency),
  }
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
