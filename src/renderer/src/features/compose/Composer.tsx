import { useMemo, useState } from 'react'
import type { Mention } from '../../../../shared/domain'
import { replyStateWords, type ReplyRecord } from '../../../../shared/replies'
import {
  countLength,
  countedReply,
  fillTemplate,
  type Template,
} from '../../../../shared/templates'
import { useServices } from '../../services'
import { useAppStore } from '../../store/use-app-store'
import { RelativeTime } from '../../components/RelativeTime'
import { useElsewhereReplies } from '../context/AnsweredElsewhere'
import { useOpenExternal } from '../context/use-open-external'
import { recordReply } from './record-reply'
import { useOutbox } from './use-outbox'
import { useBrandName, useReplyLimit, useTemplates } from './use-templates'

type Props = { mention: Mention }

const newClientId = () => crypto.randomUUID()

/** Matches every word typed, in the name or the text, ignoring case. */
function matching(templates: readonly Template[], query: string): Template[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return templates.filter((t) => {
    const hay = `${t.name} ${t.body}`.toLowerCase()
    return words.every((w) => hay.includes(w))
  })
}

/**
 * Answering a mention: pick a template, fill its fields, read the reply as it will go out with its
 * length as the platform counts it, and send it through the outbox (or, where the platform takes
 * no replies from Earshot, copy it, open the post and mark it answered by hand).
 */
export function Composer({ mention }: Props) {
  const { client, db } = useServices()
  const source = useAppStore((state) =>
    state.sources?.find((entry) => entry.config.id === mention.sourceId),
  )
  const canReply = source?.canReply ?? false
  const loaded = useTemplates()
  const brand = useBrandName()
  const limit = useReplyLimit(mention.sourceId, canReply)
  const { replies } = useOutbox()
  const elsewhere = useElsewhereReplies(mention.id)[0]
  const { open, error: openError } = useOpenExternal()
  const [query, setQuery] = useState('')
  const [chosen, setChosen] = useState<Template | null>(null)
  const [values, setValues] = useState<Record<string, string>>({})
  const [clientId, setClientId] = useState(newClientId)
  const [problem, setProblem] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const found = useMemo(
    () => matching(loaded.kind === 'ready' ? loaded.templates : [], query),
    [loaded, query],
  )
  const author = mention.author.name || mention.author.handle || ''
  const filled = chosen
    ? fillTemplate(chosen, { ...values, author, ...(brand ? { brand } : {}) })
    : null
  const length = filled
    ? countLength(
        countedReply(filled.text, mention.platform, mention.author.handle),
        mention.platform,
        limit,
      )
    : null
  // The newest reply to this mention still in the outbox.
  const reply: ReplyRecord | undefined = replies.find((r) => r.mentionId === mention.id)
  const pending = reply !== undefined && reply.state !== 'sent' && reply.state !== 'failed'
  const ready = filled !== null && filled.missing.length === 0 && filled.text !== ''
  const fits = length?.fits ?? false

  const pick = (template: Template) => {
    setChosen(template)
    setValues({})
    setProblem(null)
    setNotice(null)
    setClientId(newClientId())
  }

  const send = async () => {
    if (!filled || !ready || !fits || pending || busy) return
    setBusy(true)
    setProblem(null)
    const result = await client.call('replies:send', {
      mentionId: mention.id,
      mention,
      text: filled.text,
      clientId,
    })
    setBusy(false)
    if (!result.ok) {
      setProblem(result.error.message)
      return
    }
    // The next reply is a new intent; this one lives on in the outbox under its id.
    setClientId(newClientId())
    setChosen(null)
    setValues({})
    setQuery('')
  }

  const resolve = async (outcome: 'sent' | 'retry' | 'discard') => {
    if (!reply) return
    const result = await client.call('replies:resolve', { clientId: reply.clientId, outcome })
    if (!result.ok) setProblem(result.error.message)
  }

  const copy = async () => {
    if (!filled) return
    try {
      await navigator.clipboard.writeText(filled.text)
      setNotice('Copied. Paste it as the reply on the platform.')
    } catch {
      setProblem('Could not copy: select the preview text and copy it by hand.')
    }
  }

  const markAnswered = async () => {
    if (!filled) return
    try {
      await recordReply(db, mention.id, filled.text, 'by-hand')
      setNotice('Marked answered.')
      setChosen(null)
      setValues({})
    } catch (cause) {
      setProblem(`Could not save: ${cause instanceof Error ? cause.message : String(cause)}`)
    }
  }

  return (
    <section className="details__section composer" aria-label="Reply">
      <h3 className="details__heading">Reply</h3>
      {elsewhere ? (
        <p className="composer__warning" role="alert">
          Already answered elsewhere by {elsewhere.handle} <RelativeTime at={elsewhere.at} />. A
          reply from here would answer a second time.
        </p>
      ) : null}
      {reply ? (
        <div className={`composer__state composer__state--${reply.state}`} role="status">
          <p>
            <strong>{replyStateWords[reply.state]}</strong>
            {reply.state === 'sent' && reply.url ? <> · {reply.url}</> : null}
          </p>
          {reply.error && reply.state !== 'sent' ? <p>{reply.error}</p> : null}
          {reply.state === 'unknown' || reply.state === 'failed' ? (
            <div className="composer__resolve">
              {reply.state === 'unknown' ? (
                <button type="button" className="button" onClick={() => void resolve('sent')}>
                  It was posted
                </button>
              ) : null}
              <button type="button" className="button" onClick={() => void resolve('retry')}>
                {reply.state === 'unknown' ? 'It was not posted: send again' : 'Try again'}
              </button>
              <button type="button" className="button" onClick={() => void resolve('discard')}>
                Discard
              </button>
            </div>
          ) : null}
        </div>
      ) : null}

      {!canReply ? (
        <p className="composer__hint">
          {source?.config.kind === 'mastodon' ||
          source?.config.kind === 'bluesky' ||
          source?.config.kind === 'reddit'
            ? 'Earshot can post here once the source has the brand account’s credentials. Meanwhile: copy the reply, open the post, and mark it answered.'
            : 'This source takes no replies from Earshot: copy the reply, open the post, and mark it answered.'}
        </p>
      ) : null}

      <label className="composer__label" htmlFor="reply-area">
        Template
      </label>
      <input
        id="reply-area"
        className="input composer__search"
        type="search"
        placeholder="Find a template (press r from the queue)"
        autoComplete="off"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && found[0]) {
            event.preventDefault()
            pick(found[0])
          }
        }}
        aria-controls="template-list"
      />
      {loaded.kind === 'error' ? <p className="form-error">{loaded.message}</p> : null}
      <ul id="template-list" className="composer__templates" aria-label="Templates">
        {found.map((template) => (
          <li key={template.id}>
            <button
              type="button"
              className={`button button--small${chosen?.id === template.id ? ' button--primary' : ''}`}
              aria-pressed={chosen?.id === template.id}
              onClick={() => pick(template)}
            >
              {template.name}
            </button>
          </li>
        ))}
        {loaded.kind === 'ready' && found.length === 0 ? <li>No template matches.</li> : null}
      </ul>

      {chosen && filled && length ? (
        <form
          className="composer__form"
          onSubmit={(event) => {
            event.preventDefault()
            void send()
          }}
        >
          {chosen.fields.map((field, index) => (
            <label key={field.name} className="composer__field">
              <span>
                {field.label}
                {field.required ? ' (required)' : ''}
              </span>
              <input
                className="input"
                value={values[field.name] ?? ''}
                required={field.required}
                autoFocus={index === 0}
                onChange={(event) =>
                  setValues((before) => ({ ...before, [field.name]: event.target.value }))
                }
              />
            </label>
          ))}
          <p className="composer__preview" aria-label="Reply preview">
            {filled.text}
          </p>
          <p className={`composer__count${fits ? '' : ' composer__count--over'}`}>
            {length.limit === null
              ? `${length.length} characters`
              : `${length.length} / ${length.limit}`}
          </p>
          {filled.missing.length > 0 ? (
            <p className="composer__missing">Still to fill: {filled.missing.join(', ')}</p>
          ) : null}
          <div className="composer__actions">
            {canReply ? (
              <button
                type="submit"
                className="button button--primary"
                disabled={!ready || !fits || pending || busy}
              >
                Send reply
              </button>
            ) : (
              <>
                <button type="button" className="button" onClick={() => void copy()}>
                  Copy text
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={mention.url === null}
                  onClick={() => mention.url !== null && void open(mention.url)}
                >
                  Open the post
                </button>
                <button
                  type="button"
                  className="button button--primary"
                  disabled={!ready}
                  onClick={() => void markAnswered()}
                >
                  Mark answered
                </button>
              </>
            )}
          </div>
        </form>
      ) : null}
      {problem || openError ? (
        <p className="form-error" role="alert">
          {problem ?? openError}
        </p>
      ) : null}
      {notice ? <p className="composer__notice">{notice}</p> : null}
    </section>
  )
}
