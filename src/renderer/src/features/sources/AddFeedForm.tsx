import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { BrandProfile, SourceInput } from '../../../../shared/domain'
import { describeHnQueries, hnQueries } from '../../../../shared/hn-query'
import { useServices } from '../../services'
import {
  buildSourceInput,
  emptyDraft,
  intervalFromMinutes,
  SECRET_FIELDS,
  type FormKind,
  type SourceDraft,
} from './source-form'
import { IntervalField } from './IntervalField'

/**
 * Minutes between checks a new source starts with: feeds change slowly, HN threads quickly,
 * Mastodon allows a tag timeline a minute, Bluesky and Reddit are asked every two.
 */
const DEFAULT_MINUTES: Record<FormKind, number> = {
  rss: 15,
  hn: 2,
  mastodon: 1,
  bluesky: 2,
  reddit: 2,
}
const TITLES: Record<FormKind, string> = {
  rss: 'Add a feed',
  hn: 'Add a Hacker News search',
  mastodon: 'Add Mastodon',
  bluesky: 'Add Bluesky',
  reddit: 'Add Reddit',
}
const BUTTONS: Record<FormKind, string> = {
  rss: 'Add feed',
  hn: 'Add Hacker News',
  mastodon: 'Add Mastodon',
  bluesky: 'Add Bluesky',
  reddit: 'Add Reddit',
}
const NAME_HINTS: Record<FormKind, string> = {
  rss: "Optional: the feed's title otherwise",
  hn: 'Hacker News',
  mastodon: 'Optional: the hashtags and instance otherwise',
  bluesky: 'Optional: “Bluesky @handle” otherwise',
  reddit: 'Optional: “Reddit u/name” otherwise',
}
const KINDS: readonly (readonly [FormKind, string])[] = [
  ['rss', 'RSS / Atom feed'],
  ['hn', 'Hacker News'],
  ['mastodon', 'Mastodon'],
  ['bluesky', 'Bluesky'],
  ['reddit', 'Reddit'],
]

/** Where each kind signs in: these sources can be checked before they are added. */
const SIGNS_IN: readonly FormKind[] = ['mastodon', 'bluesky', 'reddit']

/**
 * Adds an RSS/Atom or Google Alerts feed, a Hacker News search, Mastodon, Bluesky or Reddit. Main
 * checks the source once before saving it and its message is shown inline; "Test connection" runs
 * the same check without saving. Secrets go to main once and are cleared from the form.
 */
export function AddFeedForm({
  highlight,
  profile = null,
}: {
  highlight: boolean
  profile?: BrandProfile | null
}) {
  const { client, store } = useServices()
  const [kind, setKind] = useState<FormKind>('rss')
  const [draft, setDraft] = useState<SourceDraft>(emptyDraft)
  const [minutes, setMinutes] = useState(String(DEFAULT_MINUTES.rss))
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string | null>(null)
  const [tested, setTested] = useState<string | null>(null)
  const [busy, setBusy] = useState<'add' | 'test' | null>(null)
  const baseId = useId()
  const idOf = (name: string) => `${baseId}-${name}`
  const errorId = idOf('error')

  const edit = (key: keyof SourceDraft) => (value: string) => {
    setDraft((current) => ({ ...current, [key]: value }))
    setTested(null)
  }

  const choose = (next: FormKind) => {
    // An interval the responder never touched follows the kind; a chosen one stays.
    if (minutes === String(DEFAULT_MINUTES[kind])) setMinutes(String(DEFAULT_MINUTES[next]))
    setKind(next)
    setError(null)
    setAdded(null)
    setTested(null)
  }

  const prepare = (): SourceInput | null => {
    setAdded(null)
    setTested(null)
    const intervalSec = Math.round(Number(minutes) * 60)
    const source = buildSourceInput(kind, draft, intervalSec)
    if (typeof source === 'string') {
      setError(source)
      return null
    }
    const interval = intervalFromMinutes(minutes)
    if (typeof interval === 'string') {
      setError(interval)
      return null
    }
    setError(null)
    return source
  }

  const test = async () => {
    const source = prepare()
    if (!source) return
    setBusy('test')
    const result = await client.call('sources:test', { source })
    setBusy(null)
    if (!result.ok) return setError(result.error.message)
    setTested(result.value.message)
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const source = prepare()
    if (!source) return
    setBusy('add')
    const result = await client.call('sources:add', { source })
    setBusy(null)
    if (!result.ok) return setError(result.error.message)
    store.getState().upsertSource(result.value)
    setAdded(result.value.config.name)
    setDraft(emptyDraft())
    setMinutes(String(DEFAULT_MINUTES[kind]))
  }

  const invalid = {
    'aria-invalid': error !== null,
    'aria-describedby': error ? errorId : undefined,
  }
  /** A plain text field; `secret` makes it a password field the browser will not remember. */
  const input = (
    key: keyof SourceDraft,
    label: string,
    options: { placeholder?: string; hint?: ReactNode; url?: boolean; secret?: boolean } = {},
  ) => (
    <div className="field">
      <label className="field__label" htmlFor={idOf(key)}>
        {label}
      </label>
      <input
        id={idOf(key)}
        className="input"
        type={options.secret ? 'password' : 'text'}
        inputMode={options.url ? 'url' : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={options.placeholder}
        value={draft[key]}
        {...invalid}
        onChange={(event) => edit(key)(event.target.value)}
      />
      {options.hint ? <p className="field__hint">{options.hint}</p> : null}
    </div>
  )

  const compiled = describeHnQueries(hnQueries(profile))
  const signsIn = SIGNS_IN.includes(kind)
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
        {KINDS.map(([value, label]) => (
          <span key={value} className="kind-choice__option">
            <input
              id={idOf(`kind-${value}`)}
              type="radio"
              name={idOf('kind')}
              value={value}
              checked={kind === value}
              onChange={() => choose(value)}
            />
            <label htmlFor={idOf(`kind-${value}`)}>{label}</label>
          </span>
        ))}
      </fieldset>
      {kind === 'rss' ? (
        <>
          <p className="muted">
            Any RSS or Atom feed: a blog, a forum, a news search, or a Google Alerts feed (choose
            “Deliver to: RSS feed” in Google Alerts and paste its address).
          </p>
          {input('url', 'Feed URL', { placeholder: 'https://example.com/feed.xml', url: true })}
        </>
      ) : kind === 'mastodon' ? (
        <>
          <p className="muted">
            Public posts with these hashtags, as one Mastodon instance sees them. With an access
            token from the brand&apos;s account, Earshot also searches posts and reads the
            account&apos;s mentions.
          </p>
          {input('instance', 'Instance', { placeholder: 'https://mastodon.social', url: true })}
          {input('hashtags', 'Hashtags', {
            placeholder: 'acme, acmecloud',
            hint: 'Separated by commas or spaces; the # is optional. May stay empty with a token.',
          })}
          {input('accessToken', 'Access token (optional)', {
            secret: true,
            hint: (
              <>
                On your instance: Preferences → Development → New application. Tick the scopes{' '}
                <code>read</code> (search, mentions) and <code>write:statuses</code> (to reply from
                Earshot), save, then copy “Your access token”.
              </>
            ),
          })}
        </>
      ) : kind === 'bluesky' ? (
        <>
          <p className="muted">
            Posts that name your brand, and the replies and mentions of your account. Earshot signs
            in as the account with an app password, never the main password.
          </p>
          {input('identifier', 'Handle', { placeholder: 'acme.bsky.social' })}
          {input('appPassword', 'App password', {
            secret: true,
            placeholder: 'xxxx-xxxx-xxxx-xxxx',
            hint: (
              <>
                In Bluesky: Settings → Privacy and security → App passwords → Add App Password. You
                can revoke it there at any time.
              </>
            ),
          })}
          {input('query', 'Search for (optional)', {
            placeholder: compiled
              ? `Uses the brand profile: ${compiled}`
              : 'Uses the brand profile',
          })}
        </>
      ) : kind === 'reddit' ? (
        <>
          <p className="muted">
            New posts and comments in the subreddits you name, matched against your brand. Since
            November 2025 Reddit only answers apps it has approved, so Earshot reads through your
            own app.
          </p>
          <details className="advanced">
            <summary>How to create the Reddit app</summary>
            <ol className="field__hint">
              <li>
                Request API access for your account at reddit.com/prefs/apps (Reddit asks what the
                app is for; say: reading and answering mentions of your brand).
              </li>
              <li>
                Once approved, choose “create another app…”, type <strong>script</strong>, any name,
                and <code>http://localhost</code> as the redirect URI.
              </li>
              <li>
                The client id is the code under the app&apos;s name; the secret is labelled
                “secret”. The app must belong to the account you sign in with.
              </li>
            </ol>
          </details>
          {input('username', 'Reddit username', { placeholder: 'acme' })}
          {input('password', 'Reddit password', { secret: true })}
          {input('clientId', 'Client id', {})}
          {input('clientSecret', 'Client secret', { secret: true })}
          {input('subreddits', 'Subreddits', {
            placeholder: 'acme, selfhosted',
            hint: 'Separated by commas or spaces; the r/ is optional.',
          })}
          {input('query', 'Search for (optional)', {
            placeholder: compiled
              ? `Uses the brand profile: ${compiled}`
              : 'Uses the brand profile',
          })}
        </>
      ) : (
        <>
          <p className="muted">
            Stories and comments on Hacker News that name your brand or products. Replies open the
            thread on Hacker News, which has no way to post from another app.
          </p>
          {input('query', 'Search for', {
            placeholder: compiled
              ? `Uses the brand profile: ${compiled}`
              : 'Uses the brand profile',
          })}
        </>
      )}
      <div className="field">
        <label className="field__label" htmlFor={idOf('name')}>
          Name
        </label>
        <input
          id={idOf('name')}
          className="input"
          placeholder={NAME_HINTS[kind]}
          value={draft.name}
          onChange={(event) => edit('name')(event.target.value)}
        />
      </div>
      <IntervalField id={idOf('minutes')} minutes={minutes} onChange={setMinutes} />
      {kind === 'hn' ? (
        <details className="advanced">
          <summary>Advanced: API address</summary>
          {input('apiBase', 'API address', {
            placeholder: 'https://hn.algolia.com',
            url: true,
            hint: 'For a mirror of the Algolia Hacker News API.',
          })}
        </details>
      ) : null}
      {kind === 'bluesky' ? (
        <details className="advanced">
          <summary>Advanced: server address</summary>
          {input('apiBase', 'Server address', {
            placeholder: 'https://bsky.social',
            url: true,
            hint: 'For an account on its own server (PDS); bsky.social otherwise.',
          })}
        </details>
      ) : null}
      {kind === 'reddit' ? (
        <details className="advanced">
          <summary>Advanced: API addresses</summary>
          {input('apiBase', 'API address', {
            placeholder: 'https://oauth.reddit.com',
            url: true,
            hint: 'Where Reddit answers API calls; change only for a proxy or a mirror.',
          })}
          {input('authBase', 'Sign-in address', {
            placeholder: 'https://www.reddit.com',
            url: true,
            hint: 'Where the app gets its access token.',
          })}
        </details>
      ) : null}
      {signsIn && SECRET_FIELDS.some((key) => draft[key] !== '') ? (
        <p className="field__hint">
          Earshot keeps the sign-in on this computer, encrypted where the system allows, and never
          shows it again.
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {tested ? (
        <p className="form-ok" role="status">
          {tested}
        </p>
      ) : null}
      {added ? (
        <p className="form-ok" role="status">
          Added “{added}”. Its first check starts shortly.
        </p>
      ) : null}
      <div className="add-feed__actions">
        <button type="submit" className="button button--primary" disabled={busy !== null}>
          {busy === 'add' ? 'Adding…' : BUTTONS[kind]}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => void test()}
        >
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
      </div>
    </form>
  )
}
