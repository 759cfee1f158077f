/* How a notification names a mention: who said it, where, and a quote cut to fit. */
import type { Mention, Platform } from '../../shared/domain'

const platformNames: Record<Platform, string> = {
  demo: 'Demo',
  rss: 'RSS',
  hn: 'Hacker News',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  reddit: 'Reddit',
  import: 'Imported',
}

/** The author as the responder would address them: `@ana`, `u/ana`, or a display name. */
export function who({ author }: Mention): string {
  const handle = author.handle?.trim()
  if (handle) return handle.startsWith('@') || handle.startsWith('u/') ? handle : `@${handle}`
  return author.name.trim() || 'someone'
}

/** The platform, or for a feed the site it came from (a feed's name is not in the mention). */
export function where({ platform, url }: Mention): string {
  if (platform === 'rss' && url) {
    try {
      return new URL(url).hostname.replace(/^www\./, '')
    } catch {
      // Not a URL after all: fall back to the platform's name.
    }
  }
  return platformNames[platform]
}

export const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

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
