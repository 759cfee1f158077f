/* The social map's places: where a conversation happened, finer than the source when the post
   says (a subreddit, a Mastodon instance, a blog's host). */
import type { Platform } from '../../../../../shared/domain'
import type { ReportMention, ReportTerms, TermKind } from './types'

const subreddit = /reddit\.com\/r\/([A-Za-z0-9_]{2,21})/i

// The host of an http(s) link, without credentials or port; cheaper than new URL() per mention.
const hostPattern = /^https?:\/\/(?:[^@/?#]*@)?([^/?#:]+)/i

function hostOf(url: string | null): string | null {
  const host = url === null ? undefined : hostPattern.exec(url)?.[1]?.toLowerCase()
  if (!host) return null
  return host.startsWith('www.') ? host.slice(4) : host
}

/** `mastodon:@ana@example.social` or `@ana@example.social` → `example.social`. */
function instanceOf(author: ReportMention['author']): string | null {
  for (const value of [author.id.replace(/^mastodon:/, ''), author.handle ?? '']) {
    const match = /^@?[^@\s]+@([^@\s]+)$/.exec(value)
    if (match?.[1]) return match[1].toLowerCase()
  }
  return null
}

const platformNames: Record<Platform, string> = {
  demo: 'Demo',
  rss: 'Feeds',
  hn: 'Hacker News',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  reddit: 'Reddit',
  import: 'Imported',
}

/** The community a mention was heard in, named as the responder would say it. */
export function communityOf(mention: ReportMention): string {
  switch (mention.platform) {
    case 'reddit': {
      const match = mention.url ? subreddit.exec(mention.url) : null
      return match?.[1] ? `r/${match[1]}` : 'Reddit'
    }
    case 'mastodon':
      return instanceOf(mention.author) ?? hostOf(mention.url) ?? 'Mastodon'
    case 'rss':
      return hostOf(mention.url) ?? mention.sourceId
    case 'demo': {
      // A demo forum post says where it ran after its headline: "Switching to Acme? · The Forum".
      const at = mention.title?.lastIndexOf(' · ') ?? -1
      return mention.title && at >= 0 ? mention.title.slice(at + 3) : 'Demo'
    }
    default:
      return platformNames[mention.platform]
  }
}

const fold = (name: string) => name.trim().toLowerCase().replace(/^@/, '')

/** Sorts the names triage matched into brand, product and competitor, as the profile lists them. */
export function termClassifier(terms: ReportTerms): (matched: string) => TermKind | null {
  const kinds = new Map<string, TermKind>()
  for (const name of terms.competitors) kinds.set(fold(name), 'competitor')
  for (const name of terms.products) kinds.set(fold(name), 'product')
  for (const name of [terms.brand, ...terms.handles]) kinds.set(fold(name), 'brand')
  return (matched) => kinds.get(fold(matched)) ?? null
}
