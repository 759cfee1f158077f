/* Whether a post was written by one of the brand's own accounts, from the profile's handles. */
import type { BrandProfile, HandlePlatform, Mention } from './domain'

/** What telling the author apart needs: where the post was heard, who wrote it, its link. */
export type PostAuthorship = Pick<Mention, 'platform' | 'author' | 'url'>

/** Checks posts against the brand's handles; build once per profile, call per post. */
export type BrandAccountCheck = (post: PostAuthorship) => boolean

/** The platforms whose posts carry a handle the profile can name. */
const PLATFORMS: readonly HandlePlatform[] = ['mastodon', 'bluesky', 'reddit', 'hn']

/** A handle as typed (`@Acme`, `u/acme`, `/u/acme`, `acme.bsky.social`) in one comparable form. */
export const normalHandle = (raw: string): string =>
  raw
    .trim()
    .toLowerCase()
    .replace(/^(?:\/?u\/|@)/, '')

const hostOf = (url: string | null | undefined): string | null => {
  if (!url) return null
  try {
    return new URL(url).hostname.toLowerCase()
  } catch {
    return null
  }
}

/**
 * The post's author as `user@host` on Mastodon. The connector writes every handle with a host (the
 * configured instance's for its own accounts); a handle without one takes the host of the post's
 * or account's link. A handle with a host is never second-guessed from the links: a remote server
 * chooses what links its accounts claim, and must not pass one of them off as the brand.
 */
function mastodonAccount(post: PostAuthorship): string | null {
  const acct = normalHandle(post.author.handle ?? '')
  if (acct === '') return null
  if (acct.includes('@')) return acct
  const host = hostOf(post.author.url) ?? hostOf(post.url)
  return host ? `${acct}@${host}` : acct
}

/**
 * Builds the check for one profile. Handles are compared per platform and case-insensitively; a
 * Mastodon handle without a domain matches that user name on any server (the responder did not
 * say which), one with a domain only there. Bluesky also matches the account's DID.
 */
export function brandAccountCheck(
  profile: Pick<BrandProfile, 'handles'> | null,
): BrandAccountCheck {
  const byPlatform = new Map<string, Set<string>>()
  for (const { platform, handle } of profile?.handles ?? []) {
    if (!PLATFORMS.includes(platform)) continue
    const normal = normalHandle(handle)
    if (normal === '') continue
    const set = byPlatform.get(platform) ?? new Set<string>()
    set.add(normal)
    byPlatform.set(platform, set)
  }
  if (byPlatform.size === 0) return () => false
  return (post) => {
    const handles = byPlatform.get(post.platform)
    if (!handles) return false
    if (post.platform === 'mastodon') {
      const account = mastodonAccount(post)
      if (account === null) return false
      return handles.has(account) || handles.has(account.split('@')[0] ?? '')
    }
    const handle = normalHandle(post.author.handle ?? '')
    if (handle !== '' && handles.has(handle)) return true
    // A Bluesky author id is `bluesky:<did>`; the responder may have entered the DID.
    return post.platform === 'bluesky' && handles.has(post.author.id.replace(/^bluesky:/, ''))
  }
}
