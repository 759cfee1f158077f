import { createColumnHelper } from '@tanstack/react-table'
import { RelativeTime } from '../../components/RelativeTime'
import { SourceLabel } from '../../components/SourceLabel'
import {
  DirectedBadge,
  IntentChip,
  SentimentBadge,
  StatusChip,
  UrgencyMeter,
} from '../../components/TriageBadges'
import type { QueueRow } from '../../db/queue-query'
import { FollowUpBadge } from './FollowUpBadge'

const column = createColumnHelper<QueueRow>()

/** One line of text: newlines would break the fixed row height. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

export const queueColumns = [
  column.accessor((row) => row.mention.createdAt, {
    id: 'time',
    header: 'Time',
    cell: (info) => <RelativeTime at={info.getValue()} short />,
  }),
  column.display({
    id: 'source',
    header: 'Source',
    cell: (info) => <SourceLabel mention={info.row.original.mention} />,
  }),
  column.accessor((row) => row.mention.author.name, {
    id: 'author',
    header: 'Author',
    cell: (info) => <span className="ellipsis">{info.getValue()}</span>,
  }),
  column.display({
    id: 'text',
    header: 'Mention',
    cell: (info) => {
      const { title, text } = info.row.original.mention
      return (
        <span className="ellipsis">
          <FollowUpBadge state={info.row.original.state} />
          {title ? <strong className="row-title">{oneLine(title)}</strong> : null}
          {oneLine(text)}
        </span>
      )
    },
  }),
  column.accessor((row) => row.mention.triage.sentiment, {
    id: 'sentiment',
    header: 'Sentiment',
    cell: (info) => <SentimentBadge sentiment={info.getValue()} />,
  }),
  column.accessor((row) => row.mention.triage.intent ?? 'other', {
    id: 'intent',
    header: 'Intent',
    cell: (info) => <IntentChip intent={info.getValue()} />,
  }),
  column.accessor((row) => row.mention.triage.urgency, {
    id: 'urgency',
    header: 'Urgency',
    cell: (info) => <UrgencyMeter urgency={info.getValue()} />,
  }),
  column.accessor((row) => row.mention.triage.directed, {
    id: 'directed',
    header: 'Heard as',
    cell: (info) => (
      <DirectedBadge directed={info.getValue()} own={info.row.original.mention.triage.own} />
    ),
  }),
  column.accessor((row) => row.state?.status ?? 'open', {
    id: 'status',
    header: 'Status',
    cell: (info) => <StatusChip status={info.getValue()} />,
  }),
]

/** Each column's width when the responder has not dragged it; the text takes what is left. */
export const defaultWidths: Record<string, string> = {
  time: '52px',
  source: '104px',
  author: 'minmax(90px, 136px)',
  text: 'minmax(180px, 1fr)',
  sentiment: '116px',
  intent: '84px',
  urgency: '76px',
  directed: '82px',
  status: '76px',
}

export const columnLabels: Record<string, string> = Object.fromEntries(
  queueColumns.map((entry) => [entry.id ?? '', String(entry.header)]),
)

/** The CSS grid template for the visible columns, after the tick box. */
export function columnTemplate(prefs: {
  hidden: string[]
  widths: Record<string, number>
}): string {
  const shown = queueColumns
    .map((entry) => entry.id ?? '')
    .filter((id) => !prefs.hidden.includes(id))
    .map((id) => {
      const width = prefs.widths[id]
      if (width === undefined) return defaultWidths[id] ?? '80px'
      // The text column keeps soaking up spare room, from the width it was given.
      return id === 'text' ? `minmax(${width}px, 1fr)` : `${width}px`
    })
  return ['24px', ...shown].join(' ')
}
