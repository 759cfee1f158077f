import type { Intent, Triage } from '../../../shared/domain'
import { URGENT_AT } from '../../../shared/domain'
import type { ResponderStatus } from '../db/database'
import { formatScore, intentLabel, sentimentLabel } from './format'

export function SentimentBadge({ sentiment }: { sentiment: Triage['sentiment'] }) {
  return (
    <span className={`sentiment sentiment--${sentiment.label}`}>
      <span className="sentiment__dot" aria-hidden="true" />
      {sentimentLabel(sentiment.label)}
      <span className="sentiment__score">{formatScore(sentiment.score)}</span>
    </span>
  )
}

export function IntentChip({ intent }: { intent: Intent | undefined }) {
  const shown = intent ?? 'other'
  return <span className={`pill pill--intent pill--intent-${shown}`}>{intentLabel(shown)}</span>
}

export function UrgencyMeter({ urgency }: { urgency: number }) {
  const urgent = urgency >= URGENT_AT
  return (
    <span
      className={urgent ? 'urgency urgency--urgent' : 'urgency'}
      title={urgent ? `Urgent: ${urgency} of 100` : `Urgency ${urgency} of 100`}
    >
      <span className="urgency__value">{urgency}</span>
      <span className="urgency__track" aria-hidden="true">
        <span className="urgency__bar" style={{ width: `${Math.max(4, urgency)}%` }} />
      </span>
    </span>
  )
}

export function DirectedBadge({ directed, own }: { directed: boolean; own?: boolean | undefined }) {
  if (own) {
    return (
      <span className="pill pill--own" title="Posted by one of the brand's own accounts">
        Brand's own
      </span>
    )
  }
  return directed ? (
    <span className="pill pill--directed" title="Addressed to the brand">
      Directed
    </span>
  ) : (
    <span className="pill pill--overheard" title="Talk about the brand among other people">
      Overheard
    </span>
  )
}

const statusShort: Record<ResponderStatus, string> = {
  open: 'Open',
  waiting: 'Waiting',
  snoozed: 'Snoozed',
  monitor: 'Watching',
  done: 'Done',
  spam: 'Spam',
  own: 'Own post',
}

export function StatusChip({ status }: { status: ResponderStatus }) {
  return <span className={`status status--${status}`}>{statusShort[status]}</span>
}
