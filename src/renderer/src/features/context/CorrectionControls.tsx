import { useId, useState } from 'react'
import {
  intentSchema,
  sentimentLabelSchema,
  URGENT_AT,
  type Intent,
  type Mention,
  type SentimentLabel,
} from '../../../../shared/domain'
import { applyCorrection, type Correction } from '../../db/corrections'
import { useServices } from '../../services'

type Props = { mention: Mention }

const intents = intentSchema.options
const sentiments = sentimentLabelSchema.options
type UrgentChoice = 'yes' | 'no'

/** What triage says now, as the form's starting values. */
const scored = (mention: Mention) => ({
  intent: mention.triage.intent ?? 'other',
  sentiment: mention.triage.sentiment.label,
  urgent: mention.triage.urgency >= URGENT_AT ? ('yes' as const) : ('no' as const),
})

/**
 * Lets the responder correct intent, sentiment and urgency (keyed by mention id where used, so
 * another mention starts from its own triage). Main's on-device model learns the correction at once and re-scores the mention; the new triage is stored and the timeline says so.
 */
export function CorrectionControls({ mention }: Props) {
  const { client, db, store } = useServices()
  const id = useId()
  const [open, setOpen] = useState(false)
  const [draft, setDraft] = useState(() => scored(mention))
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const before = scored(mention)
  const correction: Correction = {
    ...(draft.intent !== before.intent ? { intent: draft.intent } : {}),
    ...(draft.sentiment !== before.sentiment ? { sentiment: draft.sentiment } : {}),
    ...(draft.urgent !== before.urgent ? { urgent: draft.urgent === 'yes' } : {}),
  }
  const changed = Object.keys(correction).length > 0

  const teach = async () => {
    setBusy(true)
    setMessage(null)
    try {
      const text =
        mention.title && !mention.text.startsWith(mention.title)
          ? `${mention.title}\n${mention.text}`
          : mention.text
      const reply = await client.call('triage:correct', {
        text: text.slice(0, 20_000) || mention.title || '(empty)',
        platform: mention.platform,
        directed: mention.triage.directed,
        ...(mention.author.followers !== undefined ? { followers: mention.author.followers } : {}),
        createdAt: mention.createdAt,
        ...correction,
      })
      if (!reply.ok) {
        setMessage(`Earshot could not learn this: ${reply.error.message}`)
        return
      }
      await applyCorrection(db, mention.id, correction, reply.value.triage)
      const n = reply.value.corrections
      // A toast: storing the new triage re-renders the panel, which would drop a local message.
      store.getState().pushToast({
        title: 'Learned from your correction',
        body: `Earshot has now learned from ${n} ${n === 1 ? 'correction' : 'corrections'}.`,
      })
      setOpen(false)
    } catch (cause) {
      setMessage(
        `Could not save the correction: ${cause instanceof Error ? cause.message : String(cause)}`,
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="details__section" aria-label="Correct triage">
      <h3 className="details__heading">Correct triage</h3>
      {message ? (
        <p className="form-error" role="alert">
          {message}
        </p>
      ) : null}
      {!open ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Correct intent, sentiment or urgency…
        </button>
      ) : (
        <form
          className="correction"
          onSubmit={(event) => {
            event.preventDefault()
            if (changed && !busy) void teach()
          }}
        >
          <label htmlFor={`${id}-intent`}>Intent</label>
          <select
            id={`${id}-intent`}
            value={draft.intent}
            onChange={(event) => setDraft({ ...draft, intent: event.target.value as Intent })}
          >
            {intents.map((intent) => (
              <option key={intent} value={intent}>
                {intent}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-sentiment`}>Sentiment</label>
          <select
            id={`${id}-sentiment`}
            value={draft.sentiment}
            onChange={(event) =>
              setDraft({ ...draft, sentiment: event.target.value as SentimentLabel })
            }
          >
            {sentiments.map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-urgent`}>Needs a human now</label>
          <select
            id={`${id}-urgent`}
            value={draft.urgent}
            onChange={(event) => setDraft({ ...draft, urgent: event.target.value as UrgentChoice })}
          >
            <option value="yes">yes, urgent</option>
            <option value="no">no, not urgent</option>
          </select>
          <div className="correction__actions">
            <button type="submit" className="button button--primary" disabled={!changed || busy}>
              {busy ? 'Teaching…' : 'Teach Earshot'}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setOpen(false)
                setDraft(scored(mention))
              }}
            >
              Cancel
            </button>
          </div>
          {!changed ? <p className="muted">Change at least one answer to teach Earshot.</p> : null}
        </form>
      )}
    </section>
  )
}
