/* One poll of one source, outside the scheduler: the CLI's `poll` command and "Test connection". */
import type { BrandProfile, SourceConfig } from '../../shared/domain'
import { sourceConfigSchema } from '../../shared/domain'
import type { PollResult, SecretAccess, SourceCursor } from './connector'
import { SourceError, connectorFor } from './connector'
import type { HttpClient } from './http'
import { createHttpClient, userAgent } from './http'
import { createConnectors } from './index'

export type PollOnceOptions = {
  http?: HttpClient
  now?: () => number
  cursor?: SourceCursor
  profile?: BrandProfile | null
  signal?: AbortSignal
  /** The app version for the User-Agent when no client is given. */
  version?: string
  /** The source's secrets (e.g. Mastodon's access token), for kinds that use them. */
  secrets?: SecretAccess
}

/** Polls `config` once and returns what the scheduler would have stored. Throws only `SourceError`. */
export async function pollSourceOnce(
  config: SourceConfig,
  opts: PollOnceOptions = {},
): Promise<PollResult> {
  // The CLI hands over whatever was typed; check it like any other input from outside.
  const parsed = sourceConfigSchema.safeParse(config)
  if (!parsed.success) {
    const problem = parsed.error.issues[0]
    const where = problem?.path.join('.') || 'source'
    throw new SourceError('config', `The source is not valid (${where}: ${problem?.message ?? ''})`)
  }
  const http = opts.http ?? createHttpClient({ userAgent: userAgent(opts.version ?? 'dev') })
  const connectors = createConnectors(() => opts.profile ?? null)
  const now = opts.now ?? Date.now
  const ctx = {
    http,
    now,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.secrets ? { secrets: opts.secrets } : {}),
  }
  try {
    return await connectorFor(connectors, parsed.data.kind).poll(parsed.data, opts.cursor, ctx)
  } catch (cause) {
    if (cause instanceof SourceError) throw cause
    throw new SourceError('parse', 'The source gave an answer Earshot could not read')
  }
}
