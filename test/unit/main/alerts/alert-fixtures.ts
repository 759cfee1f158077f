import type { Mention, Reason } from '../../../../src/shared/domain'

/* Scored mentions for the alert tests: only what the policy and the detector read. */

let serial = 0

export type MentionShape = {
  id?: string
  urgency?: number
  crisis?: boolean
  sourceId?: string
  negative?: boolean
  text?: string
  handle?: string
  matched?: string[]
}

export function scored(shape: MentionShape = {}): Mention {
  serial++
  const reasons: Reason[] = [
    { code: 'directed', label: 'directed', points: 20 },
    { code: 'cue:refund', label: 'refund', points: 25 },
  ]
  if (shape.crisis) reasons.push({ code: 'crisis:legal', label: 'lawyer', points: 60 })
  return {
    id: shape.id ?? `mastodon:https://mastodon.social/@ana/${serial}`,
    sourceId: shape.sourceId ?? 'mastodon-1',
    platform: 'mastodon',
    url: `https://mastodon.social/@ana/${serial}`,
    author: { id: 'mastodon:@ana@mastodon.social', name: 'Ana', handle: shape.handle ?? 'ana' },
    text: shape.text ?? 'still waiting for my refund from Acme, three weeks now',
    createdAt: 0,
    fetchedAt: 0,
    triage: {
      sentiment: {
        score: shape.negative === false ? 2 : -3,
        comparative: 0,
        label: shape.negative === false ? 'positive' : 'negative',
        words: [],
      },
      directed: true,
      urgency: shape.urgency ?? 80,
      reasons,
      matched: shape.matched ?? ['Acme'],
    },
  }
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
/** A Monday, 00:00 UTC. Tests read the minute of the day in UTC, whatever the machine's zone. */
export const MONDAY = Date.parse('2026-11-02T00:00:00Z')
export const utcMinuteOfDay = (at: number) => Math.floor(at / MINUTE) % 1440
export const at = (clock: string, day = MONDAY) => {
  const [h, m] = clock.split(':').map(Number)
  return day + (h ?? 0) * HOUR + (m ?? 0) * MINUTE
}
