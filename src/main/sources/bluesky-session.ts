/* The brand account's Bluesky session: logged in once with the app password, kept in the
   credential store, refreshed when the access token expires, and every XRPC call made through it.
   createSession is limited to about 100 a day per account, so a poll never logs in by habit. */
import type { SourceConfig } from '../../shared/domain'
import type { PollContext, SecretAccess } from './connector'
import { SourceError } from './connector'
import type { HttpResponse } from './http'
import type { SessionAnswer } from './bluesky-parse'
import { parseSession, readXrpcError } from './bluesky-parse'

type BlueskyConfig = Extract<SourceConfig, { kind: 'bluesky' }>

export type Session = {
  accessJwt: string
  refreshJwt: string
  did: string
  /** Where writes go: the PDS the account's DID document names, when it may be trusted. */
  pds: string
}

/** The keys this connector keeps in the credential store next to `appPassword`. */
const SESSION_KEYS = ['accessJwt', 'refreshJwt', 'did', 'pds', 'sessionFor'] as const

export const SEARCH_NEEDS_LOGIN =
  "Bluesky search needs a login: add the brand account's app password (and use bsky.social or the account's own server as the service, not public.api.bsky.app)"

export type XrpcCall = {
  method: 'GET' | 'POST'
  /** `service` for logins and reads, `pds` for the account's own repository. */
  host: 'service' | 'pds'
  nsid: string
  params?: URLSearchParams
  body?: unknown
  /** What to say about an HTML 403 (an edge block) for this call. */
  htmlForbidden?: string
}

export type BlueskyClient = {
  call(request: XrpcCall): Promise<HttpResponse>
  session(): Promise<Session>
}

const origin = (url: string) => new URL(url).origin

/** Who logged in where: a session for another account or server is not reused. */
const ownerOf = (config: BlueskyConfig) => `${origin(config.service)}|${config.identifier}`

/**
 * Logins and refreshes in flight, per source: a poll and a reply that both find the token expired
 * share one refresh instead of racing (a refresh token is good for one use).
 */
const inFlight = new Map<string, Promise<Session>>()

export function createBlueskyClient(config: BlueskyConfig, ctx: PollContext): BlueskyClient {
  const secrets = ctx.secrets
  const service = origin(config.service)
  const subject = `Bluesky at ${new URL(config.service).host}`

  function stored(): Session | null {
    const values = secrets?.get()
    if (!values || values['sessionFor'] !== ownerOf(config)) return null
    const { accessJwt, refreshJwt, did, pds } = values
    if (!accessJwt || !refreshJwt || !did) return null
    return { accessJwt, refreshJwt, did, pds: trustedPds(pds ?? null) }
  }

  // Authorization goes to the configured service, or to the PDS it named over https.
  function trustedPds(pds: string | null): string {
    if (pds === null) return service
    try {
      const url = new URL(pds)
      return url.protocol === 'https:' || url.origin === service ? url.origin : service
    } catch {
      return service
    }
  }

  async function keep(answer: SessionAnswer, store: SecretAccess): Promise<Session> {
    const session = { ...answer, pds: trustedPds(answer.pds) }
    await store.update({
      accessJwt: session.accessJwt,
      refreshJwt: session.refreshJwt,
      did: session.did,
      pds: session.pds,
      sessionFor: ownerOf(config),
    })
    return session
  }

  async function forget(store: SecretAccess): Promise<void> {
    await store.update(Object.fromEntries(SESSION_KEYS.map((key) => [key, null])))
  }

  function needSecrets(): SecretAccess {
    if (!secrets) {
      throw new SourceError('auth', "Bluesky needs the brand account's app password")
    }
    return secrets
  }

  async function login(): Promise<Session> {
    const store = needSecrets()
    const values = store.get()
    if (values === null) {
      throw new SourceError(
        'auth',
        'The Bluesky app password could not be read on this computer: enter it again',
      )
    }
    const password = values['appPassword']
    if (!password) {
      throw new SourceError('auth', "Bluesky needs the brand account's app password")
    }
    const response = await post(
      `${service}/xrpc/com.atproto.server.createSession`,
      { identifier: config.identifier, password },
      null,
    )
    if (response.status >= 200 && response.status < 300) {
      return keep(parseSession(response.body, subject), store)
    }
    await forget(store)
    throw loginFailure(response)
  }

  function loginFailure(response: HttpResponse): SourceError {
    const error = readXrpcError(response.body)
    const status = response.status
    if (error?.error === 'AuthFactorTokenRequired') {
      return new SourceError(
        'auth',
        'This Bluesky account asks for an e-mail code at sign-in: create an app password in Bluesky (Settings, Privacy and security, App passwords) and use that',
        { status },
      )
    }
    if (error?.error === 'AccountTakedown' || error?.error === 'AccountSuspended') {
      return new SourceError('auth', 'Bluesky has suspended the brand account', { status })
    }
    if (status === 401 || status === 400 || status === 403) {
      return new SourceError(
        'auth',
        `Bluesky did not accept the app password for ${config.identifier}: check the full handle (e.g. acme.bsky.social) and the app password`,
        { status },
      )
    }
    return failure(response, subject)
  }

  async function refresh(current: Session): Promise<Session> {
    const store = needSecrets()
    const response = await post(
      `${service}/xrpc/com.atproto.server.refreshSession`,
      undefined,
      current.refreshJwt,
    )
    if (response.status >= 200 && response.status < 300) {
      return keep(parseSession(response.body, subject), store)
    }
    if (isAuthProblem(response)) return login()
    throw failure(response, subject)
  }

  /** One login or refresh at a time per source; whoever comes second waits for the first. */
  function shared(run: () => Promise<Session>): Promise<Session> {
    const key = config.id
    const running = inFlight.get(key)
    if (running) return running
    const next = run().finally(() => inFlight.delete(key))
    inFlight.set(key, next)
    return next
  }

  async function session(): Promise<Session> {
    return stored() ?? (await shared(login))
  }

  async function post(url: string, body: unknown, bearer: string | null): Promise<HttpResponse> {
    return ctx.http.send(url, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      subject,
      allowErrors: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    })
  }

  async function send(request: XrpcCall, current: Session): Promise<HttpResponse> {
    const base = request.host === 'pds' ? current.pds : service
    const query = request.params ? `?${request.params.toString()}` : ''
    const url = `${base}/xrpc/${request.nsid}${query}`
    if (request.method === 'POST') return post(url, request.body ?? {}, current.accessJwt)
    return ctx.http.get(url, {
      headers: { accept: 'application/json', authorization: `Bearer ${current.accessJwt}` },
      subject,
      allowErrors: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    })
  }

  async function call(request: XrpcCall): Promise<HttpResponse> {
    let current = await session()
    let response = await send(request, current)
    if (isAuthProblem(response)) {
      // Expired (400 ExpiredToken) or revoked: refresh, or log in again, then try once more.
      const used = current.accessJwt
      current = await shared(async () => {
        const latest = stored()
        // Someone else already renewed it while this call was out.
        if (latest && latest.accessJwt !== used) return latest
        return refresh(latest ?? current)
      })
      response = await send(request, current)
      if (isAuthProblem(response)) {
        throw new SourceError(
          'auth',
          `Bluesky refused the brand account's session for ${config.identifier}: enter the app password again`,
          { status: response.status },
        )
      }
    }
    if (response.status >= 200 && response.status < 300) return response
    throw failure(response, subject, request.htmlForbidden)
  }

  return { call, session }
}

/** The token was refused: expired, invalid, or missing in the server's eyes. */
function isAuthProblem(response: HttpResponse): boolean {
  if (response.status === 401) return true
  if (response.status !== 400 && response.status !== 403) return false
  const error = readXrpcError(response.body)?.error
  return error === 'ExpiredToken' || error === 'InvalidToken' || error === 'AuthMissing'
}

/** An XRPC failure in words: the server's own `{error, message}`, or what its status means. */
export function failure(
  response: HttpResponse,
  subject: string,
  htmlForbidden?: string,
): SourceError {
  const status = response.status
  const html = response.body.trimStart().startsWith('<')
  if (html && status === 403) {
    return new SourceError(
      'http',
      htmlForbidden ?? `${subject} refused the request (403 Forbidden)`,
      {
        status,
      },
    )
  }
  const error = readXrpcError(response.body)
  if (error?.error === 'NotFound' || error?.error === 'RecordNotFound') {
    return new SourceError('http', `${subject} no longer has this post (deleted or hidden)`, {
      status,
    })
  }
  if (error?.error === 'BadQueryString') {
    return new SourceError(
      'config',
      `${subject} could not read the search text${error.message ? `: ${error.message}` : ''}`,
      { status },
    )
  }
  const said = error
    ? [error.message, error.error && `(${error.error})`].filter(Boolean).join(' ')
    : ''
  return new SourceError(
    status === 401 ? 'auth' : 'http',
    said ? `${subject} answered ${status}: ${said}` : `${subject} answered ${status}`,
    { status },
  )
}
