import { useId, useState, type FormEvent } from 'react'
import type { BrandProfile, SourceInput } from '../../../../shared/domain'
import { httpUrlSchema, MAX_INTERVAL_SEC, MIN_INTERVAL_SEC } from '../../../../shared/domain'
import { describeHnQueries, hnQueries } from '../../../../shared/hn-query'
import { useServices } from '../../services'

type Kind = 'rss' | 'hn'

/** Minutes between checks a new source starts with: feeds change slowly, HN threads quickly. */
const DEFAULT_MINUTES: Record<Kind, number> = { rss: 15, hn: 2 }
const QUERY_MAX = 500

/**
 * Adds an RSS/Atom or Google Alerts feed, or a Hacker News search; main checks the source once
 * before saving it and its message is shown inline.
 */
export function AddFeedForm({
  highlight,
  profile = null,
}: {
  highlight: boolean
  profile?: BrandProfile | null
}) {
  const { client, store } = useServices()
  const [kind, setKind] = useState<Kind>('rss')
  const [url, setUrl] = useState('')
  const [query, setQuery] = useState('')
  const [apiBase, setApiBase] = useState('')
  const [name, setName] = useState('')
  const [minutes, setMinutes] = useState(String(DEFAULT_MINUTES.rss))
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const ids = {
    url: useId(),
    query: useId(),
    apiBase: useId(),
    name: useId(),
    minutes: useId(),
    error: useId(),
    kind: useId(),
  }

  const choose = (next: Kind) => {
    // An interval the responder never touched follows the kind; a chosen one stays.
    if (minutes === String(DEFAULT_MINUTES[kind])) setMinutes(String(DEFAULT_MINUTES[next]))
    setKind(next)
    setError(null)
    setAdded(null)
  }

  const sourceFor = (intervalSec: number): SourceInput | string => {
    const trimmedName = name.trim()
    const named = trimmedName ? { name: trimmedName } : {}
    if (kind === 'rss') {
      const parsedUrl = httpUrlSchema.safeParse(url)
      if (!parsedUrl.success) return parsedUrl.error.issues[0]?.message ?? 'Check the address'
      return { kind: 'rss', url: parsedUrl.data, intervalSec, ...named }
    }
    const trimmedQuery = query.trim()
    if (trimmedQuery.length > QUERY_MAX) return `Search for at most ${QUERY_MAX} characters`
    let base = {}
    if (apiBase.trim()) {
      const parsedBase = httpUrlSchema.safeParse(apiBase)
      if (!parsedBase.success) return parsedBase.error.issues[0]?.message ?? 'Check the API address'
      base = { apiBase: parsedBase.data }
    }
    return {
      kind: 'hn',
      intervalSec,
      ...(trimmedQuery ? { query: trimmedQuery } : {}),
      ...base,
      ...named,
    }
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setAdded(null)
    const intervalSec = Math.round(Number(minutes) * 60)
    const source = sourceFor(intervalSec)
    if (typeof source === 'string') return setError(source)
    if (
      !Number.isFinite(intervalSec) ||
      intervalSec < MIN_INTERVAL_SEC ||
      intervalSec > MAX_INTERVAL_SEC
    ) {
      return setError('Check every 1 to 1440 minutes')
    }
    setError(null)
    setBusy(true)
    const result = await client.call('sources:add', { source })
    setBusy(false)
    if (!result.ok) return setError(result.error.message)
    store.getState().upsertSource(result.value)
    setAdded(result.value.config.name)
    setUrl('')
    setQuery('')
    setApiBase('')
    setName('')
    setMinutes(String(DEFAULT_MINUTES[kind]))
  }

  const compiled = describeHnQueries(hnQueries(profile))
  const invalid = {
    'aria-invalid': error !== null,
    'aria-describedby': error ? ids.error : undefined,
  }
  return (
    <form
      className={highlight ? 'card add-feed add-feed--highlight' : 'card add-feed'}
      aria-labelledby="add-feed-title"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h2 id="add-feed-title" className="card__title">
        {kind === 'rss' ? 'Add a feed' : 'Add a Hacker News search'}
      </h2>
      <fieldset className="kind-choice">
        <legend className="field__label">Source type</legend>
        {(
          [
            ['rss', 'RSS / Atom feed'],
            ['hn', 'Hacker News'],
          ] as const
        ).map(([value, label]) => (
          <span key={value} className="kind-choice__option">
            <input
              id={`${ids.kind}-${value}`}
              type="radio"
              name={ids.kind}
              value={value}
              checked={kind === value}
              onChange={() => choose(value)}
            />
            <label htmlFor={`${ids.kind}-${value}`}>{label}</label>
          </span>
        ))}
      </fieldset>
      {kind === 'rss' ? (
        <>
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
              {...invalid}
              onChange={(event) => setUrl(event.target.value)}
            />
          </div>
        </>
      ) : (
        <>
          <p className="muted">
            Stories and comments on Hacker News that name your brand or products. Replies open the
            thread on Hacker News, which has no way to post from another app.
          </p>
          <div className="field">
            <label className="field__label" htmlFor={ids.query}>
              Search for
            </label>
            <input
              id={ids.query}
              className="input"
              autoComplete="off"
              spellCheck={false}
              placeholder={
                compiled ? `Uses the brand profile: ${compiled}` : 'Uses the brand profile'
              }
              value={query}
              {...invalid}
              onChange={(event) => setQuery(event.target.value)}
            />
          </div>
        </>
      )}
      <div className="field">
        <label className="field__label" htmlFor={ids.name}>
          Name
        </label>
        <input
          id={ids.name}
          className="input"
          placeholder={kind === 'rss' ? "Optional: the feed's title otherwise" : 'Hacker News'}
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
      {kind === 'hn' ? (
        <details className="advanced">
          <summary>Advanced: API address</summary>
          <div className="field">
            <label className="field__label" htmlFor={ids.apiBase}>
              API address
            </label>
            <input
              id={ids.apiBase}
              className="input"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://hn.algolia.com"
              value={apiBase}
              onChange={(event) => setApiBase(event.target.value)}
            />
            <p className="field__hint">For a mirror of the Algolia Hacker News API.</p>
          </div>
        </details>
      ) : null}
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
        {busy ? 'Adding…' : kind === 'rss' ? 'Add feed' : 'Add Hacker News'}
      </button>
    </form>
  )
}
