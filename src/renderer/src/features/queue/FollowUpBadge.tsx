import { useNow } from '../../components/use-now'
import type { ResponderState } from '../../db/database'
import { isFollowUpDue } from '../../db/follow-ups'

/**
 * "Follow-up due" on a row waiting on a department past its follow-up time. Only rows with a
 * follow-up mount the clock, so a queue of 100,000 rows does not re-render on its ticks.
 */
export function FollowUpBadge({ state }: { state: ResponderState | undefined }) {
  if (state?.status !== 'waiting' || state.followUpAt === undefined) return null
  return <DueBadge state={state} />
}

function DueBadge({ state }: { state: ResponderState }) {
  const now = useNow()
  if (!isFollowUpDue(state, now)) return null
  return <span className="pill pill--follow-up">Follow-up due</span>
}
