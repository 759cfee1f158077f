import type { SourceConfig, SourceHealth, SourceState, SourceView } from '../../../../shared/domain'

const stateNames: Record<SourceState, string> = {
  waiting: 'Waiting',
  polling: 'Polling',
  live: 'Live',
  'backing-off': 'Backing off',
  'rate-limited': 'Rate limited',
  'breaker-open': 'Breaker open',
  'credential-invalid': 'Sign-in rejected',
  paused: 'Paused',
  streaming: 'Streaming',
}

export const stateLabel = (state: SourceState): string => stateNames[state]

/** "14:32" in local time: the responder plans around a clock time, not "in 27 minutes". */
export function clockTime(at: number): string {
  const date = new Date(at)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/**
 * What a waiting state means for the responder, in plain words; null when the badge says it all.
 * A source is never stopped silently: each of these says when, or what, brings it back.
 */
export function stateDetail(health: SourceHealth): string | null {
  const at = health.nextCheckAt === null ? 'soon' : `at ${clockTime(health.nextCheckAt)}`
  switch (health.state) {
    case 'breaker-open':
      return `Paused after ${health.consecutiveFailures} failures — next try ${at}`
    case 'rate-limited':
      return health.nextCheckAt === null
        ? 'Waiting on the rate limit'
        : `Waiting on the rate limit until ${clockTime(health.nextCheckAt)}`
    case 'credential-invalid':
      return 'Sign-in rejected — re-enter the credentials to try again'
    case 'streaming':
      return 'Connected live: new posts arrive as they are written'
    default:
      return null
  }
}

export function kindLabel(config: SourceConfig): string {
  switch (config.kind) {
    case 'demo':
      return 'Demo — sample mentions until you add a real source'
    case 'hn':
      return 'Hacker News'
    case 'rss':
      return 'RSS / Atom feed'
    case 'mastodon':
      return 'Mastodon'
    case 'bluesky':
      return 'Bluesky'
    case 'reddit':
      return 'Reddit'
  }
}

export function intervalLabel(seconds: number): string {
  // The demo replays faster than any real source may be polled.
  if (seconds < 60) return `every ${seconds} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `every ${minutes} min`
  const hours = Math.round((minutes / 60) * 10) / 10
  return `every ${hours} h`
}

/** "3.5", "4", "0.2", "825": one decimal for small rates, whole numbers past ten. */
const perHour = (n: number) => String(n >= 10 ? Math.round(n) : Math.round(n * 10) / 10)

/** What a check the responder asked for brought: "Checked: 3 new items", "Checked: nothing new". */
export function checkedLabel(newItems: number): string {
  if (newItems <= 0) return 'Checked: nothing new'
  return `Checked: ${newItems.toLocaleString()} new ${newItems === 1 ? 'item' : 'items'}`
}

/**
 * "3 an hour (usually 4)"; "2 an hour (usual rate: after a day)" while main is still learning a
 * new source's usual rate; null before main has measured the source.
 */
export function rateLabel(health: SourceHealth): string | null {
  if (health.itemsPerHour === undefined) return null
  const now = `${perHour(health.itemsPerHour)} an hour`
  return health.usualPerHour === undefined
    ? `${now} (usual rate: after a day)`
    : `${now} (usually ${perHour(health.usualPerHour)})`
}

/** "Silent for 9 hours — usually about 3 an hour" while main holds a silence alarm, else null. */
export function silenceLabel(health: SourceHealth, now: number): string | null {
  if (health.silentSince === undefined || health.silentSince === null) return null
  const hours = Math.max(1, Math.round((now - health.silentSince) / 3_600_000))
  const usual =
    health.usualPerHour === undefined
      ? ''
      : ` — usually about ${perHour(health.usualPerHour)} an hour`
  return `Silent for ${hours} ${hours === 1 ? 'hour' : 'hours'}${usual}`
}

/**
 * Whether a source is failing (backing off, breaker open, sign-in rejected) or has gone silent for
 * longer than usual: what the Sources tab's badge counts and "Need attention" lists. A paused
 * source is the responder's choice, and a rate limit passes by itself.
 */
export function needsAttention({ config, health }: SourceView): boolean {
  if (config.paused) return false
  if (health.silentSince !== undefined && health.silentSince !== null) return true
  return (
    health.state === 'backing-off' ||
    health.state === 'breaker-open' ||
    health.state === 'credential-invalid'
  )
}

/** The words a source is found by: its name, kind, address, hashtags, account or subreddits. */
export function sourceWords(config: SourceConfig): string {
  const parts: string[] = [config.name, kindLabel(config)]
  switch (config.kind) {
    case 'rss':
      parts.push(config.url)
      break
    case 'hn':
      parts.push(config.query ?? '', config.apiBase)
      break
    case 'mastodon':
      parts.push(config.instance, ...config.hashtags.map((tag) => `#${tag}`))
      break
    case 'bluesky':
      parts.push(config.identifier, config.query ?? '')
      break
    case 'reddit':
      parts.push(config.username, config.query ?? '', ...config.subreddits.map((n) => `r/${n}`))
      break
    case 'demo':
      break
  }
  return parts.join(' ').toLowerCase()
}
