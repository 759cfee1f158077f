import { brandAccountCheck, type BrandAccountCheck } from '../../../../shared/brand-account'
import type { EarshotClient } from '../../../../shared/contract'
import { markAnsweredElsewhere, type SeenPost } from '../../db/answered-elsewhere'
import type { EarshotDb } from '../../db/database'

/** The profile is read again after this long, so a handle added in Setup counts within a minute. */
const PROFILE_TTL_MS = 30_000

const checks = new WeakMap<EarshotClient, { at: number; check: Promise<BrandAccountCheck> }>()

/**
 * The check for the brand's own accounts, from the profile main keeps. Cached per client, so a
 * busy poller costs one `profile:get` per half minute, not one per batch; a failed read checks
 * nothing (no handle matches) and is asked again next time.
 */
export function brandCheckFor(
  client: EarshotClient,
  now: number = Date.now(),
): Promise<BrandAccountCheck> {
  const known = checks.get(client)
  if (known && now - known.at < PROFILE_TTL_MS) return known.check
  const check = client.call('profile:get', {}).then((result) => {
    if (!result.ok) checks.delete(client)
    return brandAccountCheck(result.ok ? result.value : null)
  })
  checks.set(client, { at: now, check })
  return check
}

/**
 * The stored posts that reply to any of `posts`. A platform may deliver the brand's answer before
 * the mention it answers (another source, a late page, a thread fetched first): when the mention
 * arrives, its answer is already stored. One read of the sparse `replyTo` index per page.
 */
async function storedRepliesTo(db: EarshotDb, posts: readonly SeenPost[]): Promise<SeenPost[]> {
  if (posts.length === 0) return []
  const ids = posts.map((post) => post.id)
  const stored = await db.mentions.where('replyTo').anyOf(ids).toArray()
  const given = new Set(ids)
  return stored.filter((post) => !given.has(post.id))
}

/**
 * Marks the stored mentions the brand's own account answered among `posts` (a stored page or a
 * fetched thread), in either order of arrival, and stops their notifications repeating. A page
 * where nothing replies to anything never asks for the profile. Returns the ids marked.
 */
export async function noteBrandReplies(
  { client, db }: { client: EarshotClient; db: EarshotDb },
  posts: readonly SeenPost[],
): Promise<string[]> {
  const seen = [...posts, ...(await storedRepliesTo(db, posts))]
  if (!seen.some((post) => post.replyTo !== undefined)) return []
  const marked = await markAnsweredElsewhere(db, seen, await brandCheckFor(client))
  for (const mentionId of marked) {
    void client.call('alerts:acknowledge', { mentionId }).catch(() => undefined)
  }
  return marked
}
