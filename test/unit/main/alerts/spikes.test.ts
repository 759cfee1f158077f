import { describe, expect, it } from 'vitest'
import {
  createSpikeDetector,
  spikeSnapshotSchema,
  type Spike,
} from '../../../../src/main/alerts/spikes'
import type { Mention } from '../../../../src/shared/domain'

const HOUR = 3600_000
const start = Date.parse('2026-11-02T00:00:00Z')

let serial = 0
function post(text: string, negative = false): Mention {
  serial++
  return {
    id: `demo:${serial}`,
    sourceId: 'demo',
    platform: 'demo',
    url: null,
    author: { id: `demo:a${serial % 13}`, name: `A${serial % 13}` },
    text,
    createdAt: 0,
    fetchedAt: 0,
    triage: {
      sentiment: {
        score: negative ? -2 : 1,
        comparative: 0,
        label: negative ? 'negative' : 'positive',
        words: [],
      },
      directed: false,
      urgency: 0,
      reasons: [],
      matched: ['Acme'],
    },
  }
}

/** A detector on a fake clock, and a way to pour posts into one hour of it. */
function setup(options: { coolDownMs?: number } = {}) {
  let clock = start
  const detector = createSpikeDetector({
    minCount: 5,
    ratio: 3,
    z: 3,
    coolDownMs: options.coolDownMs ?? 3 * HOUR,
    now: () => clock,
  })
  const spikes: Spike[] = []
  /** `posts` spread over hour number `hour` since `start`. */
  const hour = (index: number, posts: readonly Mention[]) => {
    posts.forEach((mention, i) => {
      clock = start + index * HOUR + Math.floor((i * HOUR) / (posts.length + 1))
      spikes.push(...detector.observe(mention, 'Acme'))
    })
  }
  return { hour, spikes, detector }
}

const calm = (n: number, negatives = 1) =>
  Array.from({ length: n }, (_, i) =>
    i < negatives
      ? post('Acme coffee was cold today', true)
      : post('Nice morning with Acme coffee'),
  )
const outage = (n: number) => Array.from({ length: n }, () => post('Acme outage, login broken'))

describe('spike detection', () => {
  it('fires once when an hour jumps far above the usual, naming the words and posts', () => {
    const { hour, spikes } = setup()
    for (let h = 0; h < 72; h++) hour(h, calm(5))
    expect(spikes).toEqual([])
    hour(72, outage(40))
    expect(spikes).toHaveLength(1)
    const [spike] = spikes
    expect(spike).toMatchObject({ kind: 'volume', topic: 'Acme', at: start + 72 * HOUR })
    // Usual 5 an hour, sd at least sqrt(5): the 12th post is the first 3 sd above (ratio needs 15).
    expect(spike?.count).toBe(12)
    expect(spike?.usual).toBe(5)
    expect(spike?.mentionIds).toHaveLength(12)
    expect(spike?.words).toEqual(expect.arrayContaining(['outage', 'login', 'broken']))
    expect(spike?.words).not.toContain('acme')
    expect(spike?.summary).toMatch(/^Acme: 12 mentions this hour, usually 5 \(/)
  })

  it('stays quiet without a day of history', () => {
    const { hour, spikes } = setup()
    hour(0, calm(5))
    hour(1, outage(40))
    expect(spikes).toEqual([])
  })

  it('does not fire on a slow rise, week after week', () => {
    const { hour, spikes } = setup()
    // Every hour of week w holds 4 + w posts: the same hour last week is always close.
    for (let w = 0; w < 6; w++) for (let h = 0; h < 168; h++) hour(w * 168 + h, calm(4 + w, 0))
    expect(spikes).toEqual([])
  })

  it('holds the cool-down, then fires again', () => {
    const { hour, spikes } = setup({ coolDownMs: 3 * HOUR })
    for (let h = 0; h < 72; h++) hour(h, calm(5))
    hour(72, outage(40))
    hour(73, outage(40))
    hour(74, outage(40))
    expect(spikes.map((s) => s.at)).toEqual([start + 72 * HOUR])
    hour(76, outage(40))
    expect(spikes.map((s) => s.at)).toEqual([start + 72 * HOUR, start + 76 * HOUR])
  })

  it('fires on a jump in the negative share alone, at the usual volume', () => {
    const { hour, spikes } = setup()
    for (let h = 0; h < 72; h++) hour(h, calm(6, 1))
    hour(72, calm(6, 6))
    expect(spikes.map((s) => s.kind)).toEqual(['negative'])
    expect(spikes[0]).toMatchObject({ count: 5, usual: 0.167 })
    expect(spikes[0]?.summary).toContain('100% negative this hour, usually 17%')
  })

  it('restores its baselines from a snapshot, bounded in size', () => {
    const first = setup({ coolDownMs: 3 * HOUR })
    for (let h = 0; h < 72; h++) first.hour(h, calm(5))
    first.hour(72, outage(40))
    expect(first.spikes).toHaveLength(1)
    // Six weeks of hourly history: the file stays small whatever the volume.
    for (let h = 73; h < 73 + 6 * 168; h++) first.hour(h, calm(5))
    const json = JSON.stringify(first.detector.snapshot())
    expect(json.length).toBeLessThan(60_000)
    const saved = spikeSnapshotSchema.parse(JSON.parse(json))

    let clock = start + (73 + 6 * 168) * HOUR
    const options = { minCount: 5, ratio: 3, z: 3, coolDownMs: 3 * HOUR, now: () => clock }
    const restored = createSpikeDetector(options, saved)
    const fresh = createSpikeDetector(options)
    const fired = { restored: [] as Spike[], fresh: [] as Spike[] }
    for (const mention of outage(40)) {
      clock += 60_000
      fired.restored.push(...restored.observe(mention, 'Acme'))
      fired.fresh.push(...fresh.observe(mention, 'Acme'))
    }
    expect(fired.restored.map((s) => s.kind)).toEqual(['volume'])
    expect(fired.restored[0]?.usual).toBe(5)
    expect(fired.fresh).toEqual([])
    // A snapshot can leave out topics the brand no longer watches.
    expect(Object.keys(restored.snapshot((topic) => topic !== 'Acme').topics)).toEqual([])
  })
})
