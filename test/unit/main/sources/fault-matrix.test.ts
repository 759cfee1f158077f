import { afterEach, describe, expect, it } from 'vitest'
import type { BrandProfile, SourceConfig } from '../../../../src/shared/domain'
import { sourceConfigSchema } from '../../../../src/shared/domain'
import type { PollContext } from '../../../../src/main/sources/connector'
import { SourceError } from '../../../../src/main/sources/connector'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { createConnectors } from '../../../../src/main/sources/index'
import { memorySecrets } from '../../../../src/main/sources/memory-secrets'
import { startFaultServer, type Fault, type FaultServer } from '../../../fixtures/fault-server'

/* The fault-server matrix across every connector: each network fault ends the poll with a typed
   error the scheduler can act on, in words, within the deadline; never a hang or a crash. */

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [],
  products: [],
  competitors: [],
  excluded: [],
}
const connectors = createConnectors(() => profile)
const http = createHttpClient({
  userAgent: userAgent('0.1.0-test'),
  timeoutMs: 1_500,
  maxBytes: 1024 * 1024,
})

const sources = (origin: string): SourceConfig[] =>
  [
    { kind: 'rss', url: `${origin}/feed.xml`, intervalSec: 900 },
    { kind: 'hn', apiBase: origin },
    { kind: 'mastodon', instance: origin, hashtags: ['acme'] },
    { kind: 'bluesky', service: origin, identifier: 'acme.bsky.social' },
    { kind: 'reddit', apiBase: origin, authBase: origin, username: 'acme', subreddits: ['acme'] },
  ].map((fields, i) =>
    sourceConfigSchema.parse({
      id: `${fields.kind}-${i}`,
      name: fields.kind,
      paused: false,
      createdAt: 0,
      ...fields,
    }),
  )

const secrets = (kind: SourceConfig['kind']) =>
  kind === 'bluesky'
    ? memorySecrets({ appPassword: 'abcd-efgh-ijkl-mnop' })
    : memorySecrets({ clientId: 'client-id-1', clientSecret: 'client-secret-1', password: 'pw' })

/**
 * What each fault must become. A 5xx is an `http` failure (backoff, then the breaker), except
 * where a platform signs in first and reads a refused sign-in as such (`auth`).
 */
const expected: Record<Fault, { kinds: string[]; retryAfterMs?: number; words: RegExp }> = {
  'no-answer': { kinds: ['timeout'], words: /did not answer within 2 seconds/ },
  reset: { kinds: ['network'], words: /cut off|Could not reach|closed/ },
  'server-error': { kinds: ['http', 'auth'], words: /500|Internal Server Error|sign/i },
  'bad-gateway': { kinds: ['http', 'auth'], words: /502|Bad Gateway|sign/i },
  'rate-limited': { kinds: ['rate-limited'], retryAfterMs: 30_000, words: /slow down|429/ },
  unavailable: { kinds: ['rate-limited'], retryAfterMs: 120_000, words: /unavailable|503/ },
  'huge-declared': { kinds: ['too-large'], words: /sent more than 1 MB/ },
  'huge-chunked': { kinds: ['too-large'], words: /sent more than 1 MB/ },
  'slow-drip': { kinds: ['timeout'], words: /did not answer within 2 seconds/ },
  'html-page': {
    kinds: ['parse', 'http', 'auth'],
    words: /web page|HTML|not a|could not read|sign/i,
  },
  // A sign-in is a write: its redirect is refused at once rather than followed.
  'redirect-loop': { kinds: ['http'], words: /redirected (more than 5 times|a write elsewhere)/ },
}

let server: FaultServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

async function failure(config: SourceConfig, ctx: PollContext): Promise<unknown> {
  const connector = connectors[config.kind]
  if (!connector) throw new Error(`no connector for ${config.kind}`)
  try {
    await connector.poll(config, undefined, ctx)
  } catch (cause) {
    return cause
  }
  throw new Error(`${config.kind} did not fail`)
}

describe('the fault-server matrix', () => {
  const faults = Object.keys(expected) as Fault[]
  it.each(faults)(
    '%s: every connector fails typed, in words, within the deadline',
    async (fault) => {
      server = await startFaultServer(fault)
      const want = expected[fault]
      for (const config of sources(server.origin)) {
        const ctx: PollContext = { http, now: Date.now, secrets: secrets(config.kind) }
        const cause = await failure(config, ctx)
        expect(cause, `${config.kind} under ${fault}`).toBeInstanceOf(SourceError)
        const error = cause as SourceError
        expect(
          want.kinds,
          `${config.kind} under ${fault}: ${error.kind} ${error.message}`,
        ).toContain(error.kind)
        expect(error.message, `${config.kind} under ${fault}`).toMatch(want.words)
        if (want.retryAfterMs !== undefined) {
          expect(error.details.retryAfterMs, `${config.kind} under ${fault}`).toBe(
            want.retryAfterMs,
          )
        }
      }
    },
    60_000,
  )
})
