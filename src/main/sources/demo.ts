/* The demo source: a bundled set of mentions written for Earshot, replayed at a steady pace and
   dressed in the responder's own brand, so the console has something true-to-life to show. */
import { z } from 'zod'
import bundled from '../../../resources/demo/mentions.json'
import type { BrandProfile, HeardMention, SourceConfig } from '../../shared/domain'
import type { Connector, PollResult, SourceCursor } from './connector'
import { SourceError } from './connector'

type DemoConfig = Extract<SourceConfig, { kind: 'demo' }>

/** How often the replay speaks, whatever the configured interval says. */
export const DEMO_PACE_MS = 8_000

const line = z.string().trim().min(1)

export const demoDataSchema = z.object({
  version: z.literal(1),
  mentions: z
    .array(
      z.object({
        author: z.object({ name: line.max(120), handle: line.max(80).optional() }),
        /** Where it was "heard": a forum, a blog, a public chat. */
        via: line.max(120),
        headline: line.max(300).optional(),
        text: line.max(4000),
      }),
    )
    .min(1),
})
export type DemoData = z.infer<typeof demoDataSchema>
type DemoEntry = DemoData['mentions'][number]

const cursorSchema = z.object({ next: z.number().int().nonnegative() })

/** The values that fill `{{brand}}`, `{{handle}}`, `{{product}}` and `{{competitor}}`. */
export type DemoFill = { brand: string; handle: string; product: string; competitor: string }

/** Picks fill-ins from the profile, rotating through products and competitors by `index`. */
export function demoFill(profile: BrandProfile | null, index: number): DemoFill {
  const brand = profile?.brand.trim() || 'Acme'
  const firstHandle = profile?.handles[0]?.handle.trim()
  const handle = firstHandle
    ? firstHandle.startsWith('@')
      ? firstHandle
      : `@${firstHandle}`
    : `@${brand.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'brand'}`
  const pick = (list: string[] | undefined) =>
    list && list.length > 0 ? (list[index % list.length] ?? '').trim() : ''
  return {
    brand,
    handle,
    // Templates never put {{brand}} right before {{product}}, so "Acme app" reads naturally.
    product: pick(profile?.products) || `${brand} app`,
    competitor: pick(profile?.competitors) || 'Tellwell',
  }
}

/** Replaces the placeholders; unknown ones are left as they are, so a typo stays visible. */
export function fillTemplate(template: string, fill: DemoFill): string {
  return template.replace(
    /\{\{(brand|handle|product|competitor)\}\}/g,
    (_m, key: keyof DemoFill) => fill[key],
  )
}

/** Mentions per poll: mostly one, sometimes two, in a fixed rhythm so a replay is repeatable. */
export function demoBatchSize(next: number): number {
  return next % 3 === 2 ? 2 : 1
}

function toMention(
  entry: DemoEntry,
  serial: number,
  count: number,
  config: DemoConfig,
  profile: BrandProfile | null,
  now: number,
): HeardMention {
  const round = Math.floor(serial / count)
  const index = serial % count
  const fill = demoFill(profile, serial)
  // A short post has no title of its own; a forum thread keeps its headline and where it ran.
  const title = entry.headline ? `${fillTemplate(entry.headline, fill)} · ${entry.via}` : undefined
  const handle = entry.author.handle
  return {
    // Round 0 keeps the plain ids; later rounds are new mentions, not re-deliveries.
    id: round === 0 ? `demo:${index}` : `demo:${round}-${index}`,
    sourceId: config.id,
    platform: 'demo',
    url: null,
    author: {
      id: `demo:${handle ?? entry.author.name}`,
      name: entry.author.name,
      ...(handle ? { handle } : {}),
    },
    ...(title ? { title: title.slice(0, 1000) } : {}),
    text: fillTemplate(entry.text, fill).slice(0, 20_000),
    createdAt: now,
    fetchedAt: now,
  }
}

/** The demo connector; `getProfile` is read on every poll so a saved profile shows at once. */
export function createDemoConnector(
  getProfile: () => BrandProfile | null,
  data: unknown = bundled,
): Connector<DemoConfig> {
  const parsed = demoDataSchema.safeParse(data)
  return {
    kind: 'demo',
    pollEveryMs: DEMO_PACE_MS,
    poll(config, cursor: SourceCursor | undefined, ctx): Promise<PollResult> {
      if (!parsed.success) {
        return Promise.reject(new SourceError('config', 'The bundled demo mentions are damaged'))
      }
      const entries = parsed.data.mentions
      const stored = cursorSchema.safeParse(cursor ?? {})
      const start = stored.success ? stored.data.next : 0
      const now = ctx.now()
      const profile = getProfile()
      const mentions: HeardMention[] = []
      const size = demoBatchSize(start)
      for (let serial = start; serial < start + size; serial++) {
        const entry = entries[serial % entries.length]
        if (entry) mentions.push(toMention(entry, serial, entries.length, config, profile, now))
      }
      return Promise.resolve({ mentions, cursor: { next: start + size }, notModified: false })
    },
  }
}
