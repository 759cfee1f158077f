/* `mentions:thread`: the conversation around a mention as the platform has it, through its
   source's connector (with the source's credentials). Nothing is stored in main. */
import type { CallHandlers } from '../../shared/contract'
import type { SourceConfig } from '../../shared/domain'
import { err, ok } from '../../shared/result'
import type { Logger } from '../log'
import { SourceError, type Connector, type SecretAccess } from '../sources/connector'
import type { HttpClient } from '../sources/http'

/** Longer threads are cut to the posts nearest the mention. */
export const MAX_THREAD = 200

export function createThreadHandler(deps: {
  http: HttpClient
  now: () => number
  logger: Logger
  source(id: string): SourceConfig | undefined
  connector(kind: SourceConfig['kind']): Connector | undefined
  secretsFor(source: SourceConfig): SecretAccess | undefined
}): Pick<CallHandlers, 'mentions:thread'> {
  return {
    'mentions:thread': async ({ mention }) => {
      const source = deps.source(mention.sourceId)
      if (!source) return err('not-found', 'The source of this mention was removed')
      const connector = deps.connector(source.kind)
      // Feeds, HN stories and the demo have no conversation to fetch: the mention stands alone.
      if (!connector?.thread) return ok([mention])
      const secrets = deps.secretsFor(source)
      try {
        const thread = await connector.thread(source, mention, {
          http: deps.http,
          now: deps.now,
          ...(secrets ? { secrets } : {}),
        })
        const at = thread.findIndex((m) => m.id === mention.id)
        const start = Math.max(0, Math.min(at - MAX_THREAD / 2, thread.length - MAX_THREAD))
        return ok(thread.slice(start, start + MAX_THREAD))
      } catch (cause) {
        if (!(cause instanceof SourceError)) throw cause
        deps.logger.warn('thread not fetched', { sourceId: source.id, kind: cause.kind })
        return err(cause.kind === 'auth' ? 'forbidden' : 'network', cause.message)
      }
    },
  }
}
