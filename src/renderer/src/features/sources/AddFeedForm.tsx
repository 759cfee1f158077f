import { useId, useState, type FormEvent } from 'react'
import { httpUrlSchema, MAX_INTERVAL_SEC, MIN_INTERVAL_SEC } from '../../../../shared/domain'
import { useServices } from '../../services'

const DEFAULT_MINUTES = 15

/** Adds an RSS/Atom or Google Alerts feed; main validates again and its message is shown inline. */
export function AddFeedForm({ highlight }: { highlight: boolean }) {
  const { client, store } = useServices()
  const [url, setUrl] = useState('')
  const [name, setName] = useState('')
  const [minutes, setMinutes] = useState(String(DEFAULT_MINUTES))
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const ids = { url: useId(), name: useId(), minutes: useId(), error: useId() }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setAdded(null)
    const parsedUrl = httpUrlSchema.safeParse(url)
    if (!parsedUrl.success)
      return setError(parsedUrl.error.issues[0]?.message ?? 'Check the address')
    const intervalSec = Math.round(Number(minutes) * 60)
    if (
      !Number.isFinite(intervalSec) ||
      intervalSec < MIN_INTERVAL_SEC ||
      intervalSec > MAX_INTERVAL_SEC
    ) {
      return setError('Check every 1 to 1440 minutes')
    }
    setError(null)
    setBusy(true)
    const trimmedName = name.trim()
    const result = await client.call('sources:add', {
      source: {
        kind: 'rss',
        url: parsedUrl.data,
        intervalSec,
        ...(trimmedName ? { name: trimmedName } : {}),
      },
    })
    setBusy(false)
    if (!result.ok) return setError(result.error.message)
    store.getState().upsertSource(result.value)
    setAdded(result.value.config.name)
    setUrl('')
    setName('')
    setMinutes(String(DEFAULT_MINUTES))
  }

  return (
    <form
      className={highlight ? 'card add-feed add-feed--highlight' : 'card add-feed'}
      aria-labelledby="add-feed-title"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h2 id="add-feed-title" className="card__title">
        Add a feed
      </h2>
      <p className="muted">
        Any RSS or Atom feed: a blog, a forum, a news search, or a Google Alerts feed (choose
        “Deliver to: RSS feed” in Google Alerts and paste its address).
      </p>
      <div className="field">
        <label className="field__label" htmlFor={ids.url}>
          Feed URL
        </label>
        <input
          id={ids.url}
          className="input"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com/feed.xml"
          value={url}
          aria-invalid={error !== null}
          aria-describedby={error ? ids.error : undefined}
          onChange={(event) => setUrl(event.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={ids.name}>
          Name
        </label>
        <input
          id={ids.name}
          className="input"
          placeholder="Optional: the feed's title otherwise"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={ids.minutes}>
          Check every (minutes)
        </label>
        <input
          id={ids.minutes}
          className="input input--short"
          type="number"
          min={1}
          max={1440}
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
        />
      </div>
      {error ? (
        <p id={ids.error} className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {added ? (
        <p className="form-ok" role="status">
          Added “{added}”. Its first check starts shortly.
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add feed'}
      </button>
    </form>
  )
}
