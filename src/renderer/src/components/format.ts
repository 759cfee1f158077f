import type { Intent, Platform, SentimentLabel } from '../../../shared/domain'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/*
 * One formatter each, made once: toLocaleString with options builds a new one per call, which
 * showed at the top of a scrolling queue's profile (every row carries a time and its tooltip).
 */
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const mediumDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const mediumDateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
})

/** "4m", "3h", "2d", then a date: fits a narrow queue column. */
export function formatAgeShort(at: number, now: number): string {
  const age = Math.max(0, now - at)
  if (age < MINUTE) return 'now'
  if (age < HOUR) return `${Math.floor(age / MINUTE)}m`
  if (age < DAY) return `${Math.floor(age / HOUR)}h`
  if (age < 7 * DAY) return `${Math.floor(age / DAY)}d`
  if (age < 300 * DAY) {
    return monthDay.format(at)
  }
  return String(new Date(at).getFullYear())
}

/** "5 minutes ago", "in 3 minutes", "yesterday"-free plain words for detail views. */
export function formatRelative(at: number, now: number): string {
  const delta = at - now
  const size = Math.abs(delta)
  if (size < 45_000) return delta > 0 ? 'in a moment' : 'just now'
  // Past a month a count of days means less than the date itself.
  if (size >= 30 * DAY) {
    return `on ${mediumDate.format(at)}`
  }
  const [value, unit] =
    size < HOUR
      ? [Math.round(size / MINUTE), 'minute']
      : size < DAY
        ? [Math.round(size / HOUR), 'hour']
        : [Math.round(size / DAY), 'day']
  const words = `${value} ${unit}${value === 1 ? '' : 's'}`
  return delta > 0 ? `in ${words}` : `${words} ago`
}

export function formatAbsolute(at: number): string {
  return mediumDateTime.format(at)
}

const platformNames: Record<Platform, string> = {
  demo: 'Demo',
  rss: 'Feed',
  hn: 'Hacker News',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  reddit: 'Reddit',
  import: 'Imported',
}

export const platformLabel = (platform: Platform): string => platformNames[platform]

export const sentimentLabel = (label: SentimentLabel): string =>
  label === 'negative' ? 'Negative' : label === 'positive' ? 'Positive' : 'Neutral'

/** Signed score with a real minus sign, so "−3" and "+2" line up. */
export function formatScore(score: number): string {
  const rounded = Math.round(score * 10) / 10
  if (rounded === 0) return '0'
  return rounded > 0 ? `+${rounded}` : `\u2212${Math.abs(rounded)}`
}

const intentNames: Record<Intent, string> = {
  complaint: 'Complaint',
  question: 'Question',
  praise: 'Praise',
  idea: 'Idea',
  other: 'Other',
}

/** Mentions stored before intent was scored have none; they read as "Other". */
export function intentLabel(intent: Intent | undefined): string {
  return intentNames[intent ?? 'other']
}
