/* The parse steps that run in the parse worker: pure functions from an untrusted body to plain
   data, each throwing only `SourceError`. Imported by the worker only; main names them by key. */
import { parseSearchPage } from './bluesky-parse'
import { parseHnPage } from './hn'
import { parseTimeline } from './mastodon'
import { parseListing } from './reddit-parse'
import { parseFeedText } from './rss'

export const parseTasks = {
  feed: parseFeedText,
  'hn-page': parseHnPage,
  'mastodon-timeline': parseTimeline,
  'bluesky-search': parseSearchPage,
  'reddit-listing': parseListing,
}

export type ParseTasks = typeof parseTasks
export type ParseTaskName = keyof ParseTasks
