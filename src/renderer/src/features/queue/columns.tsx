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
    cell: (info) => <DirectedBadge directed={info.getValue()} />,
  }),
  column.accessor((row) => row.state?.status ?? 'open', {
    id: 'status',
    header: 'Status',
    cell: (info) => <StatusChip status={info.getValue()} />,
  }),
]
