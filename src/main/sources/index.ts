/* The connectors by kind, and the pieces of the sources layer the core wires together. */
import type { BrandProfile, SourceKind } from '../../shared/domain'
import type { Connector } from './connector'
import { createBlueskyConnector } from './bluesky'
import { createDemoConnector } from './demo'
import { createHnConnector } from './hn'
import { createMastodonConnector } from './mastodon'
import { createRedditConnector } from './reddit'
import { rssConnector } from './rss'

/** A kind without a connector here (a newer version's sources.json) fails as a config error. */
export type Connectors = Partial<Record<SourceKind, Connector>>

/** One connector per source kind; the demo and HN read the brand profile at each poll. */
export function createConnectors(getProfile: () => BrandProfile | null): Connectors {
  return {
    demo: createDemoConnector(getProfile),
    rss: rssConnector,
    hn: createHnConnector(getProfile),
    mastodon: createMastodonConnector(getProfile),
    bluesky: createBlueskyConnector(getProfile),
    reddit: createRedditConnector(getProfile),
  }
}

export type { Connector, PollContext, PollResult, SourceCursor, SourceErrorKind } from './connector'
export { SourceError, connectorFor } from './connector'
export type { HttpClient, HttpRequest, HttpResponse } from './http'
export { createHttpClient, parseRetryAfter, userAgent } from './http'
export type { Poller, PollerOptions } from './poller'
export { backoffDelay, createPoller, nextDelay, staggerDelays } from './poller'
export { testFeed } from './rss'
