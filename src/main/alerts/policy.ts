/* Whether a scored mention deserves a notification, and the one line that says who, where and why. */
import { URGENT_AT, type Alert, type Mention, type Platform } from '../../shared/domain'

/** When to notify. Quiet hours, severity rules and repeats join here later. */
export type AlertPolicy = { threshold: number }

const platformNames: Record<Platform, string> = {
  demo: 'Demo',
  rss: 'RSS',
  hn: 'Hacker News',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  reddit: 'Reddit',
  import: 'Imported',
}

/** How much of the post a notification quotes: about two lines on every desktop. */
const QUOTE_MAX = 140
const REASONS_SHOWN = 3

/** An alert for `mention` when its urgency reaches the policy's threshold, else null. */
export function decideAlert(
  mention: Mention,
  policy: AlertPolicy = { threshold: URGENT_AT },
): Alert | null {
  if (mention.triage.urgency < policy.threshold) return null
  const title = truncate(`Urgent: ${who(mention)} on ${where(mention)}`, 200)
  const why = mention.triage.reasons
    .filter((reason) => reason.points > 0)
    .slice(0, REASONS_SHOWN)
    .map((reason) => reason.label)
    .join(' · ')
  const said = truncate(collapse(mention.text) || collapse(mention.title ?? ''), QUOTE_MAX)
  const body = [capitalize(why), said].filter(Boolean).join(' — ')
  return { mentionId: mention.id, title, body: truncate(body, 400) }
}

/** The author as the responder would address them: `@ana`, `u/ana`, or a display name. */
function who({ author }: Mention): string {
  const handle = author.handle?.trim()
  if (handle) return handle.startsWith('@') || handle.startsWith('u/') ? handle : `@${handle}`
  return author.name.trim() || 'someone'
}

/** The platform, or for a feed the site it came from (a feed's name is not in the mention). */
function where({ platform, url }: Mention): string {
  if (platform === 'rss' && url) {
    try {
      return new URL(url).hostname.replace(/^www\./, '')
    } catch {
      // Not a URL after all: fall back to the platform's name.
    }
  }
  return platformNames[platform]
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** Cuts `text` to at most `max` characters, at a word boundary when one is near, with `…`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = max - 1
  // Never split an emoji or other surrogate pair.
  const code = text.charCodeAt(cut)
  if (code >= 0xdc00 && code <= 0xdfff) cut--
  const space = text.lastIndexOf(' ', cut)
  if (space > max * 0.6) cut = space
  return text.slice(0, cut).replace(/[\s,.;:!?-]+$/, '') + '…'
}
