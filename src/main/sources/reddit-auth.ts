/* Reddit sign-in for a "script" app: the password grant, a bearer token kept in the credential
   store (never in a cursor) until shortly before it expires, Reddit's own User-Agent format, and
   the rate-limit headers every answer carries. */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import pkg from '../../../package.json'
import type { SourceConfig } from '../../shared/domain'
import { redditCredentialsSchema } from '../../shared/domain'
import type { PollContext } from './connector'
import { SourceError } from './connector'
import type { HttpResponse } from './http'
import { MAX_RETRY_AFTER_MS } from './http'
import { readRedditJson } from './reddit-parse'

export type RedditConfig = Extract<SourceConfig, { kind: 'reddit' }>

/** A token is renewed this long before Reddit says it expires, so no request races the expiry. */
export const TOKEN_MARGIN_MS = 5 * 60_000
/** Derived secrets this connector keeps beside what the responder typed. */
export const TOKEN_KEYS = {
  token: 'accessToken',
  expiresAt: 'accessTokenExpiresAt',
  owner: 'accessTokenFor',
} as const

/** Reddit's required format: `<platform>:<app id>:<version> (by /u/<username>)`. */
export function redditUserAgent(username: string, version: string = pkg.version): string {
  return `desktop:earshot:${version} (by /u/${username})`
}

const tokenSchema = z.object({
  access_token: z.string().min(1).max(4000),
  token_type: z.string().max(40).optional(),
  expires_in: z.number().finite().positive(),
})

// A token belongs to one app and one account; new credentials must not reuse the old one's.
const ownerOf = (clientId: string, username: string) =>
  createHash('sha256').update(`${clientId}\n${username.toLowerCase()}`).digest('hex').slice(0, 16)

function credentials(config: RedditConfig, ctx: PollContext) {
  const stored = ctx.secrets?.get() ?? null
  const parsed = redditCredentialsSchema.safeParse({
    clientId: stored?.['clientId'],
    clientSecret: stored?.['clientSecret'],
    password: stored?.['password'],
  })
  if (!parsed.success) {
    throw new SourceError(
      'auth',
      `Reddit needs the app's client id and secret and the password of u/${config.username}; ` +
        "enter them in this source's settings",
    )
  }
  return parsed.data
}

const AUTH_SUBJECT = 'Reddit sign-in'

/** The token to use: the stored one while it is fresh, else a new one from the password grant. */
export async function accessToken(
  config: RedditConfig,
  ctx: PollContext,
  renew = false,
): Promise<string> {
  const creds = credentials(config, ctx)
  const owner = ownerOf(creds.clientId, config.username)
  const stored = ctx.secrets?.get() ?? {}
  const token = stored[TOKEN_KEYS.token]
  const expiresAt = Number(stored[TOKEN_KEYS.expiresAt])
  if (
    !renew &&
    token &&
    stored[TOKEN_KEYS.owner] === owner &&
    Number.isFinite(expiresAt) &&
    expiresAt - TOKEN_MARGIN_MS > ctx.now()
  ) {
    return token
  }
  const subject = AUTH_SUBJECT
  const form = new URLSearchParams({
    grant_type: 'password',
    username: config.username,
    password: creds.password,
  })
  const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')
  const response = await ctx.http.send(
    `${config.authBase.replace(/\/+$/, '')}/api/v1/access_token`,
    {
      method: 'POST',
      body: form.toString(),
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': redditUserAgent(config.username),
      },
      subject,
      allowErrors: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
  )
  const granted = readToken(response, config.username)
  await ctx.secrets?.update({
    [TOKEN_KEYS.token]: granted.access_token,
    [TOKEN_KEYS.expiresAt]: String(ctx.now() + granted.expires_in * 1000),
    [TOKEN_KEYS.owner]: owner,
  })
  return granted.access_token
}

function readToken(response: HttpResponse, username: string): z.infer<typeof tokenSchema> {
  const subject = AUTH_SUBJECT
  if (response.status === 401) {
    throw new SourceError(
      'auth',
      "Reddit did not accept the app's client id or secret (401 Unauthorized); " +
        'copy them again from reddit.com/prefs/apps',
      { status: 401 },
    )
  }
  let json: unknown
  try {
    json = JSON.parse(response.body.replace(/^\uFEFF/, '').trim())
  } catch {
    // Not JSON: a block page or a broken answer, explained in the shared words.
    readRedditJson(response.body, subject, response.status)
    throw new SourceError('parse', `${subject} sent an answer Earshot could not read`)
  }
  const error =
    typeof json === 'object' && json !== null && 'error' in json ? json.error : undefined
  if (error === 'invalid_grant') {
    throw new SourceError(
      'auth',
      `Reddit refused the password of u/${username} (invalid_grant). Check the password, that ` +
        'the app is a "script" app of this account, and that the account does not use two-factor sign-in',
      { status: response.status },
    )
  }
  if (typeof error === 'string') {
    throw new SourceError('auth', `Reddit refused the sign-in (${error.slice(0, 80)})`, {
      status: response.status,
    })
  }
  readRedditJson(response.body, subject, response.status)
  const token = tokenSchema.safeParse(json)
  if (!token.success) {
    throw new SourceError('parse', `${subject} answered without an access token`)
  }
  return token.data
}

/** Forgets the stored token (Reddit refused it), so the next request signs in again. */
export async function dropToken(ctx: PollContext): Promise<void> {
  await ctx.secrets?.update({
    [TOKEN_KEYS.token]: null,
    [TOKEN_KEYS.expiresAt]: null,
    [TOKEN_KEYS.owner]: null,
  })
}

/**
 * Reddit's budget as its headers tell it: `X-Ratelimit-Remaining` requests (a float, "599.0")
 * until `X-Ratelimit-Reset` seconds from now. Low means: finish lightly, then wait for the reset.
 */
export class RedditBudget {
  remaining: number | null = null
  used: number | null = null
  resetMs: number | null = null

  observe(response: HttpResponse): void {
    const remaining = Number.parseFloat(response.headers['x-ratelimit-remaining'] ?? '')
    const used = Number.parseFloat(response.headers['x-ratelimit-used'] ?? '')
    const reset = Number.parseFloat(response.headers['x-ratelimit-reset'] ?? '')
    if (Number.isFinite(remaining) && remaining >= 0) this.remaining = remaining
    if (Number.isFinite(used) && used >= 0) this.used = used
    if (Number.isFinite(reset) && reset >= 0) {
      this.resetMs = Math.min(Math.ceil(reset) * 1000, MAX_RETRY_AFTER_MS)
    }
  }

  /** Below a tenth of the window (at least 10 requests): slow down until the reset. */
  get low(): boolean {
    if (this.remaining === null) return false
    const window = this.remaining + (this.used ?? 0)
    return this.remaining < Math.max(10, window / 10)
  }

  /** Nothing left: another request would be refused. */
  get exhausted(): boolean {
    return this.remaining !== null && this.remaining < 1
  }

  /** The pause to ask the scheduler for, or undefined when the budget is healthy. */
  get delayMs(): number | undefined {
    return this.low && this.resetMs !== null ? this.resetMs : undefined
  }
}
