/* The parse steps that run in the parse worker: pure functions from an untrusted body to plain
   data, each throwing only `SourceError`. Imported by the worker only; main names them by key. */
import { parseSearchPage } from './bluesky-parse'
import { parseHnPage } from './hn'
import { parseNotifications, parseSearch, parseTimeline } from './mastodon-parse'
import { parseOpml } from './opml'
import { parseListing } from './reddit-parse'
import { parseFeedBytes, parseFeedText } from './rss'

export const parseTasks = {
  feed: parseFeedText,
  'feed-bytes': parseFeedBytes,
  'hn-page': parseHnPage,
  'mastodon-timeline': parseTimeline,
  'mastodon-search': parseSearch,
  'mastodon-notifications': parseNotifications,
  'bluesky-search': parseSearchPage,
  'reddit-listing': parseListing,
  opml: parseOpml,
}

export type ParseTasks = typeof parseTasks
export type ParseTaskName = keyof ParseTasks
