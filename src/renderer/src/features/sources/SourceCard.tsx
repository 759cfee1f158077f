import { useId, useState, type FormEvent } from 'react'
import type { SourceView } from '../../../../shared/domain'
import { HN_API_BASE } from '../../../../shared/domain'
import { RelativeTime } from '../../components/RelativeTime'
import { useNow } from '../../components/use-now'
import { useServices } from '../../services'
import { buildCredentials, credentialLabel, intervalFromMinutes, secretFields } from './source-form'
import { IntervalField } from './IntervalField'
import {
  checkedLabel,
  intervalLabel,
  kindLabel,
  rateLabel,
  silenceLabel,
  stateDetail,
  stateLabel,
} from './source-labels'

/** One source: what it is, how it is doing, and check now, pause, resume, edit or remove. */
export function SourceCard({ source }: { source: SourceView }) {
  const { client, store } = useServices()
  const { config, health } = source
  const [confirming, setConfirming] = useState(false)
  const [editing, setEditing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [checking, setChecking] = useState(false)
  /** What the last "Check now" or edit did, when it worked: "Checked: 3 new items", "Saved". */
  const [notice, setNotice] = useState<string | null>(null)

  const run = async (action: () => Promise<string | null>) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    setError(await action())
    setBusy(false)
  }
  const togglePaused = () =>
    run(async () => {
      const result = await client.call('sources:setPaused', {
        id: config.id,
        paused: !config.paused,
      })
      if (!result.ok) return result.error.message
      store.getState().upsertSource(result.value)
      return null
    })
  const checkNow = async () => {
    setChecking(true)
    setNotice(null)
    setError(null)
    const before = health.itemsTotal
    const result = await client.call('sources:checkNow', { id: config.id })
    setChecking(false)
    if (!result.ok) {
      setError(result.error.message)
      return
    }
    store.getState().upsertSource(result.value)
    const after = result.value.health
    // A failed check says so in the card's "Last error"; only a successful one reports here.
    if (after.lastErrorAt !== null && after.lastErrorAt >= (after.lastSuccessAt ?? 0)) return
    setNotice(checkedLabel(after.itemsTotal - before))
  }
  const remove = () =>
    run(async () => {
      const result = await client.call('sources:remove', { id: config.id })
      if (!result.ok) return result.error.message
      store.getState().dropSource(config.id)
      return null
    })

  const titleId = `source-${config.id}`
  const detail = config.paused ? null : stateDetail(health)
  // The demo's pace is staged, so a rate for it would only mislead.
  const rate = config.kind === 'demo' ? null : rateLabel(health)
  return (
    <li className="source" aria-labelledby={titleId} data-source-id={config.id}>
      <div className="source__head">
        <div>
          <h2 id={titleId} className="source__name">
            {config.name}
          </h2>
          <p
            className={config.kind === 'demo' ? 'source__kind source__kind--demo' : 'source__kind'}
          >
            {kindLabel(config)}
          </p>
        </div>
        <span className={`state state--${health.state}`}>{stateLabel(health.state)}</span>
      </div>
      {detail ? <p className={`source__status source__status--${health.state}`}>{detail}</p> : null}
      {config.paused ? null : <Silence health={health} />}
      {config.kind === 'rss' ? <p className="source__url">{config.url}</p> : null}
      {config.kind === 'hn' ? (
        <p className="source__url">
          {config.query ? `Searching for ${config.query}` : 'Searching for the brand profile'}
          {config.apiBase.replace(/\/+$/, '') === HN_API_BASE ? '' : ` at ${config.apiBase}`}
        </p>
      ) : null}
      {config.kind === 'mastodon' ? (
        <p className="source__url">
          {config.hashtags.map((tag) => `#${tag}`).join(' ')}@{new URL(config.instance).host}
        </p>
      ) : null}
      {config.kind === 'bluesky' ? (
        <p className="source__url">
          {config.query ? `Searching for ${config.query}` : 'Searching for the brand profile'}
          {' and '}
          {config.identifier}&apos;s mentions
        </p>
      ) : null}
      {config.kind === 'reddit' ? (
        <p className="source__url">
          {config.subreddits.map((name) => `r/${name}`).join(' ')}
          {config.query ? ` · searching for ${config.query}` : ''}
        </p>
      ) : null}
      <Credential source={source} />
      <dl className="facts">
        <div>
          <dt>Last success</dt>
          <dd>
            {health.lastSuccessAt === null ? 'Not yet' : <RelativeTime at={health.lastSuccessAt} />}
          </dd>
        </div>
        <div>
          <dt>Items so far</dt>
          <dd>
            {health.itemsTotal.toLocaleString()}
            {rate ? <span className="source__rate muted"> · {rate}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Next check</dt>
          <dd>
            {config.paused || health.nextCheckAt === null ? (
              '—'
            ) : (
              <NextCheck at={health.nextCheckAt} />
            )}{' '}
            <span className="muted">({intervalLabel(config.intervalSec)})</span>
          </dd>
        </div>
      </dl>
      {health.lastError ? (
        <p className="source__error">
          <strong>Last error</strong>
          {health.lastErrorAt !== null ? (
            <>
              {' '}
              (<RelativeTime at={health.lastErrorAt} />)
            </>
          ) : null}
          : {health.lastError}
        </p>
      ) : null}
      {health.note ? <p className="source__note">{health.note}</p> : null}
      {editing ? (
        <EditSource
          source={source}
          onDone={(message) => {
            setEditing(false)
            setNotice(message)
          }}
        />
      ) : confirming ? (
        <div className="source__confirm" role="group" aria-label={`Remove ${config.name}?`}>
          <p>Remove this source? The mentions it brought stay in your history.</p>
          <button
            type="button"
            className="button button--danger"
            disabled={busy}
            onClick={() => void remove()}
          >
            Yes, remove
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="source__actions">
          {config.paused ? null : (
            <button
              type="button"
              className="button"
              disabled={busy || checking}
              onClick={() => void checkNow()}
            >
              {checking ? 'Checking…' : 'Check now'}
            </button>
          )}
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void togglePaused()}
          >
            {config.paused ? 'Resume' : 'Pause'}
          </button>
          {config.kind === 'demo' ? null : (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setNotice(null)
                setEditing(true)
              }}
            >
              Edit
            </button>
          )}
          <button
            type="button"
            className="button button--quiet"
            onClick={() => setConfirming(true)}
          >
            Remove
          </button>
          {notice ? (
            <span className="source__notice muted" role="status">
              {notice}
            </span>
          ) : null}
        </div>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  )
}

/**
 * Renames a source or changes how often it is checked. Where it listens is its identity (and its
 * cursor), so that is not offered here: a different address or query is a new source.
 */
function EditSource({
  source,
  onDone,
}: {
  source: SourceView
  onDone: (message: string | null) => void
}) {
  const { client, store } = useServices()
  const { config } = source
  const baseId = useId()
  const [name, setName] = useState(config.name)
  const [minutes, setMinutes] = useState(String(Math.round(config.intervalSec / 60)))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const intervalSec = intervalFromMinutes(minutes)
    if (typeof intervalSec === 'string') {
      setError(intervalSec)
      return
    }
    if (name.trim() === '') {
      setError('Give the source a name')
      return
    }
    setBusy(true)
    const result = await client.call('sources:update', {
      id: config.id,
      changes: { name: name.trim(), intervalSec },
    })
    setBusy(false)
    if (!result.ok) {
      setError(result.error.message)
      return
    }
    store.getState().upsertSource(result.value)
    onDone('Saved')
  }

  return (
    <form
      className="source__edit"
      aria-label={`Edit ${config.name}`}
      onSubmit={(event) => void save(event)}
    >
      <div className="field">
        <label className="field__label" htmlFor={`${baseId}-name`}>
          Name
        </label>
        <input
          id={`${baseId}-name`}
          className="input"
          value={name}
          maxLength={120}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <IntervalField id={`${baseId}-minutes`} minutes={minutes} onChange={setMinutes} />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="source__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save
        </button>
        <button type="button" className="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/**
 * Whether the source's sign-in is saved (never what it is), and a form to enter it again when it
 * is missing, unreadable or was rejected.
 */
function Credential({ source }: { source: SourceView }) {
  const { client, store } = useServices()
  const { config, health } = source
  const baseId = useId()
  const [open, setOpen] = useState(false)
  const [values, setValues] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const fields = secretFields(config.kind)
  const label = credentialLabel(source.credential)
  if (fields.length === 0) return null
  const needsNew =
    source.credential === 'missing' ||
    source.credential === 'unreadable' ||
    health.state === 'credential-invalid'

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const credentials = buildCredentials(config.kind, values)
    if (typeof credentials === 'string') return setError(credentials)
    setBusy(true)
    const result = await client.call('sources:setCredentials', { id: config.id, credentials })
    setBusy(false)
    if (!result.ok) return setError(result.error.message)
    store.getState().upsertSource(result.value)
    setValues({})
    setError(null)
    setOpen(false)
  }

  return (
    <>
      {label ? (
        <p className={`source__credential source__credential--${source.credential ?? 'set'}`}>
          {label}
          {source.canReply ? ' · replies are sent from Earshot' : ''}
        </p>
      ) : null}
      {open ? (
        <form
          className="reenter"
          aria-label={`Sign-in for ${config.name}`}
          noValidate
          onSubmit={(event) => void save(event)}
        >
          {fields.map((field) => (
            <div className="field" key={field.key}>
              <label className="field__label" htmlFor={`${baseId}-${field.key}`}>
                {field.label}
              </label>
              <input
                id={`${baseId}-${field.key}`}
                className="input"
                type={field.key === 'clientId' ? 'text' : 'password'}
                autoComplete="off"
                spellCheck={false}
                value={values[field.key] ?? ''}
                onChange={(event) =>
                  setValues((current) => ({ ...current, [field.key]: event.target.value }))
                }
              />
            </div>
          ))}
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="reenter__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save sign-in'}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setOpen(false)
                setValues({})
                setError(null)
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="source__actions">
          <button
            type="button"
            className={needsNew ? 'button button--primary' : 'button button--quiet'}
            onClick={() => setOpen(true)}
          >
            {needsNew
              ? 'Re-enter sign-in'
              : config.kind === 'mastodon' && source.credential !== 'set'
                ? 'Add access token'
                : 'Change sign-in'}
          </button>
        </div>
      )}
    </>
  )
}

/** A check whose time has come is "due now", not "2 minutes ago". */
function NextCheck({ at }: { at: number }) {
  const now = useNow()
  return at <= now ? <span>Due now</span> : <RelativeTime at={at} future />
}

/** The silence alarm, kept current as the hours go by. */
function Silence({ health }: { health: SourceView['health'] }) {
  const now = useNow()
  const label = silenceLabel(health, now)
  return label ? <p className="source__status source__status--silent">{label}</p> : null
}
