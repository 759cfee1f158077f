import { useId, useState, type FormEvent } from 'react'
import type { BrandProfile, SourceInput } from '../../../../shared/domain'
import {
  httpUrlSchema,
  MASTODON_MAX_HASHTAGS,
  mastodonHashtagSchema,
  MAX_INTERVAL_SEC,
  MIN_INTERVAL_SEC,
} from '../../../../shared/domain'
import { describeHnQueries, hnQueries } from '../../../../shared/hn-query'
import { useServices } from '../../services'

type Kind = 'rss' | 'hn' | 'mastodon'

/**
 * Minutes between checks a new source starts with: feeds change slowly, HN threads quickly, and
 * Mastodon allows a tag timeline a minute.
 */
const DEFAULT_MINUTES: Record<Kind, number> = { rss: 15, hn: 2, mastodon: 1 }
const TITLES: Record<Kind, string> = {
  rss: 'Add a feed',
  hn: 'Add a Hacker News search',
  mastodon: 'Add Mastodon hashtags',
}
const BUTTONS: Record<Kind, string> = {
  rss: 'Add feed',
  hn: 'Add Hacker News',
  mastodon: 'Add Mastodon',
}
const NAME_HINTS: Record<Kind, string> = {
  rss: "Optional: the feed's title otherwise",
  hn: 'Hacker News',
  mastodon: 'Optional: the hashtags and instance otherwise',
}

/** "#acme, AcmeCloud  #acme" → ["acme", "AcmeCloud"], or what is wrong with the list. */
export function parseHashtags(value: string): string[] | string {
  const tags: string[] = []
  const seen = new Set<string>()
  for (const part of value.split(/[\s,]+/)) {
    const tag = part.replace(/^#+/, '')
    if (tag === '') continue
    if (!mastodonHashtagSchema.safeParse(tag).success) {
      return `“${part}” is not a hashtag: use letters, digits and underscores`
    }
    if (seen.has(tag.toLowerCase())) continue
    seen.add(tag.toLowerCase())
    tags.push(tag)
  }
  if (tags.length === 0) return 'Enter at least one hashtag'
  if (tags.length > MASTODON_MAX_HASHTAGS) return `At most ${MASTODON_MAX_HASHTAGS} hashtags`
  return tags
}
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
  const [instance, setInstance] = useState('')
  const [hashtags, setHashtags] = useState('')
  const [name, setName] = useState('')
  const [minutes, setMinutes] = useState(String(DEFAULT_MINUTES.rss))
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const ids = {
    url: useId(),
    query: useId(),
    apiBase: useId(),
    instance: useId(),
    hashtags: useId(),
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
    if (kind === 'mastodon') {
      const parsedInstance = httpUrlSchema.safeParse(instance)
      if (!parsedInstance.success) {
        return parsedInstance.error.issues[0]?.message ?? 'Check the instance address'
      }
      const tags = parseHashtags(hashtags)
      if (typeof tags === 'string') return tags
      return {
        kind: 'mastodon',
        instance: parsedInstance.data,
        hashtags: tags,
        intervalSec,
        ...named,
      }
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
    setInstance('')
    setHashtags('')
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
        {TITLES[kind]}
      </h2>
      <fieldset className="kind-choice">
        <legend className="field__label">Source type</legend>
        {(
          [
            ['rss', 'RSS / Atom feed'],
            ['hn', 'Hacker News'],
            ['mastodon', 'Mastodon hashtags'],
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
      ) : kind === 'mastodon' ? (
        <>
          <p className="muted">
            Public posts with these hashtags, as one Mastodon instance sees them. Searching posts
            and your account&apos;s mentions need a sign-in, which comes later.
          </p>
          <div className="field">
            <label className="field__label" htmlFor={ids.instance}>
              Instance
            </label>
            <input
              id={ids.instance}
              className="input"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://mastodon.social"
              value={instance}
              {...invalid}
              onChange={(event) => setInstance(event.target.value)}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor={ids.hashtags}>
              Hashtags
            </label>
            <input
              id={ids.hashtags}
              className="input"
              autoComplete="off"
              spellCheck={false}
              placeholder="acme, acmecloud"
              value={hashtags}
              {...invalid}
              onChange={(event) => setHashtags(event.target.value)}
            />
            <p className="field__hint">Separated by commas or spaces; the # is optional.</p>
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
          placeholder={NAME_HINTS[kind]}
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
        {busy ? 'Adding…' : BUTTONS[kind]}
      </button>
    </form>
  )
}
