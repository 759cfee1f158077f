import {
  intentSchema,
  sentimentLabelSchema,
  type Intent,
  type SentimentLabel,
  type SourceView,
} from '../../../shared/domain'
import { statusWords } from '../db/actions'
import { RESPONDER_STATUSES, type ResponderStatus } from '../db/database'
import type { Choice } from './ChoiceSelect'
import { intentLabel, sentimentLabel } from './format'

/* The choices of the filters the queue and History both offer, worded once. */

export const statusChoices: Choice<ResponderStatus>[] = RESPONDER_STATUSES.map((status) => ({
  value: status,
  label: statusWords[status],
}))

export const intentChoices: Choice<Intent>[] = intentSchema.options.map((intent) => ({
  value: intent,
  label: intentLabel(intent),
}))

export const sentimentChoices: Choice<SentimentLabel>[] = sentimentLabelSchema.options.map(
  (label) => ({ value: label, label: sentimentLabel(label) }),
)

/** Every configured source by name (none while main has not listed them yet). */
export const sourceChoices = (sources: readonly SourceView[] | null): Choice<string>[] =>
  (sources ?? []).map((source) => ({ value: source.config.id, label: source.config.name }))
