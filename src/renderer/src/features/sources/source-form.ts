/* The add-source form's logic, apart from React: what each kind asks for, and the input it sends. */
import type { CredentialState, SourceInput, SourceKind } from '../../../../shared/domain'
import {
  blueskyCredentialsSchema,
  httpUrlSchema,
  MASTODON_MAX_HASHTAGS,
  MAX_INTERVAL_SEC,
  MIN_INTERVAL_SEC,
  mastodonCredentialsSchema,
  mastodonHashtagSchema,
  redditCredentialsSchema,
  redditSubredditSchema,
  sourceInputSchema,
} from '../../../../shared/domain'

export type FormKind = 'rss' | 'hn' | 'mastodon' | 'bluesky' | 'reddit'

/** Everything the form can hold; each kind reads its own fields. */
export type SourceDraft = {
  url: string
  query: string
  apiBase: string
  /** Reddit's sign-in address (self-hosted mirrors and tests); the API address is `apiBase`. */
  authBase: string
  instance: string
  hashtags: string
  accessToken: string
  identifier: string
  appPassword: string
  username: string
  clientId: string
  clientSecret: string
  password: string
  subreddits: string
  name: string
}

export const emptyDraft = (): SourceDraft => ({
  url: '',
  query: '',
  apiBase: '',
  authBase: '',
  instance: '',
  hashtags: '',
  accessToken: '',
  identifier: '',
  appPassword: '',
  username: '',
  clientId: '',
  clientSecret: '',
  password: '',
  subreddits: '',
  name: '',
})

/** The fields that hold secrets: cleared once the source is saved, never shown again. */
export const SECRET_FIELDS = ['accessToken', 'appPassword', 'clientSecret', 'password'] as const

/** "#acme, AcmeCloud  #acme" → ["acme", "AcmeCloud"], or what is wrong with the list. */
export function parseHashtags(value: string, required = true): string[] | string {
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
  if (tags.length === 0 && required) return 'Enter at least one hashtag'
  if (tags.length > MASTODON_MAX_HASHTAGS) return `At most ${MASTODON_MAX_HASHTAGS} hashtags`
  return tags
}

/** "r/acme, selfhosted" → ["acme", "selfhosted"], or what is wrong with the list. */
export function parseSubreddits(value: string): string[] | string {
  const names: string[] = []
  const seen = new Set<string>()
  for (const part of value.split(/[\s,]+/)) {
    const name = part.replace(/^\/?r\//i, '')
    if (name === '') continue
    if (!redditSubredditSchema.safeParse(name).success) {
      return `“${part}” is not a subreddit name: 2 to 21 letters, digits or underscores`
    }
    if (seen.has(name.toLowerCase())) continue
    seen.add(name.toLowerCase())
    names.push(name)
  }
  if (names.length > 50) return 'At most 50 subreddits'
  return names
}

const QUERY_MAX = 500

const firstProblem = (issues: readonly { message: string }[], fallback: string) =>
  issues[0]?.message ?? fallback

/**
 * The `sources:add` / `sources:test` input the draft describes, or what to fix, in words. Secrets
 * are trimmed and sent once; main keeps them.
 */
export function buildSourceInput(
  kind: FormKind,
  draft: SourceDraft,
  intervalSec: number,
): SourceInput | string {
  const trimmedName = draft.name.trim()
  const named = trimmedName ? { name: trimmedName } : {}
  const query = draft.query.trim()
  if (query.length > QUERY_MAX) return `Search for at most ${QUERY_MAX} characters`
  const searched = query ? { query } : {}
  switch (kind) {
    case 'rss': {
      const url = httpUrlSchema.safeParse(draft.url)
      if (!url.success) return firstProblem(url.error.issues, 'Check the address')
      return { kind: 'rss', url: url.data, intervalSec, ...named }
    }
    case 'mastodon': {
      const instance = httpUrlSchema.safeParse(draft.instance)
      if (!instance.success)
        return firstProblem(instance.error.issues, 'Check the instance address')
      const token = draft.accessToken.trim()
      const tags = parseHashtags(draft.hashtags, token === '')
      if (typeof tags === 'string') {
        return token === '' && tags === 'Enter at least one hashtag'
          ? 'Enter at least one hashtag, or an access token to search and read mentions'
          : tags
      }
      return {
        kind: 'mastodon',
        instance: instance.data,
        hashtags: tags,
        intervalSec,
        ...(token ? { credentials: { accessToken: token } } : {}),
        ...named,
      }
    }
    case 'bluesky': {
      const identifier = draft.identifier.trim().replace(/^@/, '')
      if (identifier === '') return 'Enter the handle of the account, e.g. acme.bsky.social'
      const appPassword = draft.appPassword.trim()
      if (appPassword === '') return 'Enter an app password for this account'
      const service = optionalUrl(draft.apiBase, 'Check the server address')
      if (typeof service === 'object' && 'problem' in service) return service.problem
      return check({
        kind: 'bluesky',
        ...(service ? { service } : {}),
        identifier,
        credentials: { appPassword },
        intervalSec,
        ...searched,
        ...named,
      })
    }
    case 'reddit': {
      const username = draft.username.trim().replace(/^\/?u\//i, '')
      if (username === '') return 'Enter the Reddit username the app belongs to'
      const credentials = {
        clientId: draft.clientId.trim(),
        clientSecret: draft.clientSecret.trim(),
        password: draft.password.trim(),
      }
      // In the order the form shows them.
      if (!credentials.password) return "Enter the Reddit account's password"
      if (!credentials.clientId) return 'Enter the client id of your Reddit app'
      if (!credentials.clientSecret) return 'Enter the secret of your Reddit app'
      const subreddits = parseSubreddits(draft.subreddits)
      if (typeof subreddits === 'string') return subreddits
      if (subreddits.length === 0 && !query) {
        return 'Name at least one subreddit, or a search'
      }
      const apiBase = optionalUrl(draft.apiBase, 'Check the API address')
      if (typeof apiBase === 'object' && 'problem' in apiBase) return apiBase.problem
      const authBase = optionalUrl(draft.authBase, 'Check the sign-in address')
      if (typeof authBase === 'object' && 'problem' in authBase) return authBase.problem
      return check({
        kind: 'reddit',
        ...(apiBase ? { apiBase } : {}),
        ...(authBase ? { authBase } : {}),
        username,
        subreddits,
        credentials,
        intervalSec,
        ...searched,
        ...named,
      })
    }
    case 'hn': {
      let base = {}
      if (draft.apiBase.trim()) {
        const parsed = httpUrlSchema.safeParse(draft.apiBase)
        if (!parsed.success) return firstProblem(parsed.error.issues, 'Check the API address')
        base = { apiBase: parsed.data }
      }
      return { kind: 'hn', intervalSec, ...searched, ...base, ...named }
    }
  }
}

/** An optional address field: absent when empty, the URL when valid, else the problem in words. */
function optionalUrl(value: string, fallback: string): string | undefined | { problem: string } {
  if (!value.trim()) return undefined
  const parsed = httpUrlSchema.safeParse(value)
  return parsed.success ? parsed.data : { problem: firstProblem(parsed.error.issues, fallback) }
}

/** The input as main will check it; its first complaint in words (never the typed secret). */
function check(input: SourceInput): SourceInput | string {
  const parsed = sourceInputSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  if (issue?.path[0] === 'credentials') return 'Check the sign-in fields: one is empty or too long'
  return issue?.message ?? 'Check the fields'
}

/** "Check every (minutes)" as seconds, or what is wrong with it in words. */
export function intervalFromMinutes(minutes: string): number | string {
  const intervalSec = Math.round(Number(minutes) * 60)
  if (
    !Number.isFinite(intervalSec) ||
    intervalSec < MIN_INTERVAL_SEC ||
    intervalSec > MAX_INTERVAL_SEC
  ) {
    return `Check every ${MIN_INTERVAL_SEC / 60} to ${MAX_INTERVAL_SEC / 60} minutes`
  }
  return intervalSec
}

export type SecretField = { key: string; label: string }

/** What the "Re-enter" form asks for, per kind: one field per secret, labelled. */
export function secretFields(kind: SourceKind): SecretField[] {
  switch (kind) {
    case 'mastodon':
      return [{ key: 'accessToken', label: 'Access token' }]
    case 'bluesky':
      return [{ key: 'appPassword', label: 'App password' }]
    case 'reddit':
      return [
        { key: 'clientId', label: 'Client id' },
        { key: 'clientSecret', label: 'Client secret' },
        { key: 'password', label: 'Reddit password' },
      ]
    default:
      return []
  }
}

/** The typed secrets for `sources:setCredentials`, or what is missing. */
export function buildCredentials(
  kind: SourceKind,
  values: Readonly<Record<string, string>>,
): Record<string, string> | string {
  const fields = secretFields(kind)
  const out: Record<string, string> = {}
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim()
    if (value === '') return `Enter the ${field.label.toLowerCase()}`
    out[field.key] = value
  }
  const schema =
    kind === 'mastodon'
      ? mastodonCredentialsSchema
      : kind === 'bluesky'
        ? blueskyCredentialsSchema
        : kind === 'reddit'
          ? redditCredentialsSchema
          : null
  if (!schema) return 'This source takes no credentials'
  return schema.safeParse(out).success ? out : 'One of the fields is too long'
}

/** The sign-in line on a source card; null when the kind needs none. */
export function credentialLabel(state: CredentialState | undefined): string | null {
  switch (state) {
    case 'set':
      return 'Sign-in saved'
    case 'missing':
      return 'Sign-in missing — enter it to start listening'
    case 'unreadable':
      return 'The saved sign-in cannot be read on this computer — re-enter it'
    default:
      return null
  }
}
