import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAlerting, type Alerting, type Timers } from '../../../../src/main/alerts/alerting'
import { silentLogger } from '../../../../src/main/log'
import {
  defaultNotificationPolicy,
  defaultSpikeThresholds,
  type NotificationPolicy,
} from '../../../../src/shared/alert-policy'
import type { Alert, BrandProfile } from '../../../../src/shared/domain'
import { at, HOUR, MINUTE, scored, utcMinuteOfDay } from './alert-fixtures'

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: [],
}

let dir: string
let clock: number
let alerts: Alert[]
let ticks: (() => void)[]
let alerting: Alerting

/** Interval timers on the test's clock: `advance` moves it and fires every due tick. */
const fakeTimers: Timers = {
  setInterval: (run) => {
    ticks.push(run)
    return ticks.length - 1
  },
  clearInterval: (handle) => {
    ticks[handle as number] = () => undefined
  },
}
const advance = (ms: number) => {
  const end = clock + ms
  while (clock < end) {
    clock = Math.min(end, clock + 30_000)
    for (const tick of ticks) tick()
  }
}

const open = async () => {
  alerting = createAlerting({
    dataDir: dir,
    notify: (alert) => void alerts.push(alert),
    logger: silentLogger,
    now: () => clock,
    getProfile: () => profile,
    minuteOfDay: utcMinuteOfDay,
    timers: fakeTimers,
  })
  await alerting.start()
}
const restart = async () => {
  await alerting.stop()
  ticks = []
  await open()
}
const usePolicy = (change: Partial<NotificationPolicy>) =>
  alerting.savePolicy({ ...defaultNotificationPolicy(), ...change })

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-alerts-'))
  clock = at('10:00')
  alerts = []
  ticks = []
  await open()
})
afterEach(async () => {
  await alerting.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('repeats', () => {
  it('repeats an unacknowledged urgent mention every N minutes, at most M times', async () => {
    await usePolicy({
      repeat: { everyMinutes: 15, maxTimes: 3 },
      digest: { enabled: false, everyMinutes: 60 },
    })
    const ana = scored({ id: 'mastodon:ana' })
    alerting.onBatch([ana])
    expect(alerts.map((a) => a.mentionId)).toEqual(['mastodon:ana'])
    advance(14 * MINUTE)
    expect(alerts).toHaveLength(1)
    advance(1 * MINUTE)
    expect(alerts).toHaveLength(2)
    expect(alerts[1]?.title).toBe('Still open (1 of 3): @ana on Mastodon: directed, refund')
    advance(15 * MINUTE)
    advance(15 * MINUTE)
    expect(alerts.map((a) => a.title.slice(0, 18))).toEqual([
      '@ana on Mastodon: ',
      'Still open (1 of 3',
      'Still open (2 of 3',
      'Still open (3 of 3',
    ])
    advance(3 * HOUR)
    expect(alerts).toHaveLength(4)
  })

  it('stops once the mention is opened or handled', async () => {
    alerting.onBatch([
      scored({ id: 'mastodon:ana' }),
      scored({ id: 'mastodon:bob', handle: 'bob' }),
    ])
    advance(15 * MINUTE)
    expect(alerts).toHaveLength(4)
    await alerting.acknowledge('mastodon:ana')
    advance(15 * MINUTE)
    expect(alerts.slice(4).map((a) => a.mentionId)).toEqual(['mastodon:bob'])
  })

  it('does not repeat in quiet hours, but a crisis keeps reminding', async () => {
    clock = at('21:50')
    await usePolicy({ quietHours: { enabled: true, start: '22:00', end: '07:00' } })
    alerting.onBatch([scored({ id: 'plain' }), scored({ id: 'lawyer', crisis: true })])
    expect(alerts.map((a) => a.mentionId)).toEqual(['plain', 'lawyer'])
    advance(15 * MINUTE)
    expect(alerts.slice(2).map((a) => a.mentionId)).toEqual(['lawyer'])
  })

  it('survives a restart without notifying again what was already sent', async () => {
    alerting.onBatch([scored({ id: 'mastodon:ana' })])
    advance(15 * MINUTE)
    expect(alerts).toHaveLength(2)
    await restart()
    expect(alerts).toHaveLength(2)
    advance(14 * MINUTE)
    expect(alerts).toHaveLength(2)
    advance(1 * MINUTE)
    expect(alerts[2]?.title).toMatch(/^Still open \(2 of 3\)/)
  })
})

describe('reminders after a pause', () => {
  it('reopening after a while sends no burst: the next reminder comes one period later', async () => {
    alerting.onBatch([scored({ id: 'mastodon:ana' })])
    await alerting.stop()
    clock += 20 * MINUTE
    ticks = []
    await open()
    advance(30_000)
    expect(alerts).toHaveLength(1)
    advance(15 * MINUTE)
    expect(alerts.map((a) => a.title.slice(0, 21))).toEqual([
      '@ana on Mastodon: dir',
      'Still open (1 of 3): ',
    ])
  })

  it('lets go of reminders that would all have been spent while Earshot was closed', async () => {
    alerting.onBatch([scored({ id: 'mastodon:ana' })])
    await alerting.stop()
    clock += 5 * HOUR
    ticks = []
    await open()
    advance(HOUR)
    expect(alerts.filter((a) => a.kind === 'mention')).toHaveLength(1)
  })

  it('gathers many reminders due together into one that opens them all', async () => {
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5']
    alerting.onBatch(ids.map((id) => scored({ id })))
    expect(alerts).toHaveLength(5)
    advance(15 * MINUTE)
    expect(alerts).toHaveLength(6)
    expect(alerts[5]).toMatchObject({
      mentionId: 'm1',
      mentionIds: ids,
      title: 'Still open: 5 urgent mentions',
    })
  })
})

describe('the digest', () => {
  it('sums up what did not interrupt once per period, and nothing when there was nothing', async () => {
    await usePolicy({
      quietHours: { enabled: true, start: '22:00', end: '07:00' },
      digest: { enabled: true, everyMinutes: 60 },
    })
    advance(HOUR)
    expect(alerts).toEqual([])
    alerting.onBatch([scored({ id: 'calm', urgency: 20, handle: 'calm' })])
    clock = at('23:00')
    // Quiet hours: held, and the digest itself waits for the morning.
    alerting.onBatch([scored({ id: 'night', urgency: 85, handle: 'owl' })])
    advance(HOUR)
    expect(alerts).toEqual([])
    clock = at('06:59', at('00:00') + 24 * HOUR)
    advance(MINUTE)
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({
      kind: 'digest',
      mentionId: 'night',
      mentionIds: ['calm', 'night'],
      title: '2 mentions did not interrupt',
    })
    expect(alerts[0]?.body).toContain('1 held back')
    expect(alerts[0]?.body).toContain('@owl on Mastodon (85), @calm on Mastodon (20)')
    advance(3 * HOUR)
    expect(alerts).toHaveLength(1)
  })
})

describe('the saved state', () => {
  it('is written once for a burst of batches, and what the burst held survives a restart', async () => {
    await usePolicy({ digest: { enabled: true, everyMinutes: 60 } })
    const statePath = join(dir, 'alert-state.json')
    await alerting.flush()
    const before = await readFile(statePath, 'utf8').catch(() => '')
    for (let n = 0; n < 50; n++) {
      alerting.onBatch([scored({ id: `calm-${n}`, urgency: 20, handle: `calm${n}` })])
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    // Coalesced: the burst has not rewritten the file once per batch.
    expect(await readFile(statePath, 'utf8').catch(() => '')).toBe(before)
    await alerting.flush()
    const saved = JSON.parse(await readFile(statePath, 'utf8')) as { digest: { count: number } }
    expect(saved.digest.count).toBe(50)
    await restart()
    clock += HOUR
    advance(MINUTE)
    expect(alerts.at(-1)).toMatchObject({ kind: 'digest', title: '50 mentions did not interrupt' })
  })
})

describe('settings', () => {
  it('are saved, read back after a restart, and validated', async () => {
    const saved = await usePolicy({ urgencyThreshold: 50, perSource: { 'rss-blog': false } })
    expect(saved.urgencyThreshold).toBe(50)
    await restart()
    expect(alerting.getPolicy()).toMatchObject({
      urgencyThreshold: 50,
      perSource: { 'rss-blog': false },
    })
    alerting.onBatch([scored({ urgency: 55 })])
    expect(alerts).toHaveLength(1)
  })

  it('fall back to defaults from a broken file, kept aside, with a problem to show', async () => {
    await alerting.stop()
    await writeFile(join(dir, 'alerts.json'), '{"version":1,"policy":{"enabled":"yes"}}')
    ticks = []
    await open()
    expect(alerting.getPolicy()).toEqual(defaultNotificationPolicy())
    expect(alerting.problems).toEqual([expect.stringMatching(/^alerts\.json could not be read/)])
    expect((await readdir(dir)).some((name) => name.startsWith('alerts.json.corrupt-'))).toBe(true)
  })

  it('read a policy saved before spike thresholds existed, with the default thresholds', async () => {
    await alerting.stop()
    const older: Partial<NotificationPolicy> = {
      ...defaultNotificationPolicy(),
      urgencyThreshold: 55,
    }
    delete older.spikes
    await writeFile(join(dir, 'alerts.json'), JSON.stringify({ version: 1, policy: older }))
    ticks = []
    await open()
    expect(alerting.getPolicy().urgencyThreshold).toBe(55)
    expect(alerting.getPolicy().spikes).toEqual(defaultSpikeThresholds())
    expect(alerting.problems).toEqual([])
  })

  it('default when the file is missing, with no problem', () => {
    expect(alerting.getPolicy()).toEqual(defaultNotificationPolicy())
    expect(alerting.problems).toEqual([])
  })
})

describe('spikes through the policy', () => {
  const hourOf = (index: number, count: number, text: string, start: number) =>
    Array.from({ length: count }, (_, i) => {
      clock = start + index * HOUR + Math.floor((i * HOUR) / (count + 1))
      return scored({ urgency: 10, text, negative: false, matched: ['Acme', 'Unknown'] })
    })
  const pour = (mentions: ReturnType<typeof hourOf>) => {
    for (const mention of mentions) alerting.onBatch([mention])
  }

  it('alerts once on a spike, names the words, and keeps the baseline across a restart', async () => {
    await usePolicy({ digest: { enabled: false, everyMinutes: 60 } })
    const start = at('00:00')
    for (let h = 0; h < 48; h++) pour(hourOf(h, 4, 'Nice morning with Acme coffee', start))
    // A restart halfway through must not forget two days of history.
    await restart()
    const saved = JSON.parse(await readFile(join(dir, 'spikes.json'), 'utf8')) as {
      topics: Record<string, unknown>
    }
    // Only the profile's names are watched.
    expect(Object.keys(saved.topics)).toEqual(['Acme'])
    pour(hourOf(48, 40, 'Acme outage, login broken', start))
    const spikes = alerts.filter((alert) => alert.kind === 'spike')
    expect(spikes).toHaveLength(1)
    expect(spikes[0]).toMatchObject({ title: 'Spike: Acme' })
    expect(spikes[0]?.query).toContain('outage')
    expect(spikes[0]?.mentionIds?.length).toBeGreaterThanOrEqual(10)
  })

  it("counts none of the brand's own posts: its burst of replies is no spike and notifies no one", async () => {
    await usePolicy({ digest: { enabled: false, everyMinutes: 60 } })
    const start = at('00:00')
    for (let h = 0; h < 48; h++) pour(hourOf(h, 4, 'Nice morning with Acme coffee', start))
    const replies = hourOf(48, 40, 'Acme here: the outage is fixed, sorry', start).map(
      (mention) => ({ ...mention, triage: { ...mention.triage, urgency: 90, own: true } }),
    )
    pour(replies)
    expect(alerts).toEqual([])
    // The same burst from customers is one.
    pour(hourOf(48, 40, 'Acme outage, login broken', start))
    expect(alerts.filter((alert) => alert.kind === 'spike')).toHaveLength(1)
  })

  it("follows the responder's thresholds: a burst under the minimum count stays quiet", async () => {
    const thresholds = { ...defaultSpikeThresholds(), minCount: 50 }
    await usePolicy({ digest: { enabled: false, everyMinutes: 60 }, spikes: thresholds })
    const start = at('00:00')
    for (let h = 0; h < 48; h++) pour(hourOf(h, 4, 'Nice morning with Acme coffee', start))
    pour(hourOf(48, 40, 'Acme outage, login broken', start))
    expect(alerts.filter((alert) => alert.kind === 'spike')).toEqual([])
    // Back to the defaults, the learned baseline kept: the next burst of 40 fires.
    await usePolicy({ digest: { enabled: false, everyMinutes: 60 } })
    pour(hourOf(49, 40, 'Acme outage, login broken', start))
    expect(alerts.filter((alert) => alert.kind === 'spike')).toHaveLength(1)
  })

  it('without the saved baseline the same hour cannot fire (no history to compare with)', async () => {
    await usePolicy({ digest: { enabled: false, everyMinutes: 60 } })
    const start = at('00:00')
    for (let h = 0; h < 48; h++) pour(hourOf(h, 4, 'Nice morning with Acme coffee', start))
    await alerting.stop()
    await rm(join(dir, 'spikes.json'))
    ticks = []
    await open()
    pour(hourOf(48, 40, 'Acme outage, login broken', start))
    expect(alerts.filter((alert) => alert.kind === 'spike')).toEqual([])
  })
})

describe('reminders the page raises', () => {
  const reminder = { mentionId: 'mastodon:ana', title: 'Follow up with PR', body: 'Ana: refund?' }

  it('shows a due follow-up once, through the notifier, without repeating it', async () => {
    await usePolicy({ repeat: { everyMinutes: 15, maxTimes: 3 } })
    expect(alerting.remind(reminder)).toBe(true)
    expect(alerts).toEqual([reminder])
    advance(2 * HOUR)
    expect(alerts).toHaveLength(1)
  })

  it('keeps quiet when notifications are off', async () => {
    await usePolicy({ enabled: false })
    expect(alerting.remind(reminder)).toBe(false)
    advance(24 * HOUR)
    expect(alerts).toEqual([])
  })

  it('holds a follow-up through quiet hours and shows it when they end, across a restart', async () => {
    await usePolicy({ quietHours: { enabled: true, start: '09:00', end: '11:00' } })
    expect(alerting.remind(reminder)).toBe(false)
    advance(30 * MINUTE)
    expect(alerts).toEqual([])
    await restart()
    advance(2 * HOUR)
    expect(alerts).toEqual([reminder])
    advance(24 * HOUR)
    expect(alerts).toHaveLength(1)
  })

  it('lets a held follow-up go once its mention is opened', async () => {
    await usePolicy({ quietHours: { enabled: true, start: '09:00', end: '11:00' } })
    const other = { ...reminder, mentionId: 'mastodon:bo', title: 'Follow up with Product' }
    alerting.remind(reminder)
    alerting.remind(other)
    await alerting.acknowledge(reminder.mentionId)
    advance(2 * HOUR)
    expect(alerts).toEqual([other])
  })

  it('lets held follow-ups go when notifications are switched off before quiet hours end', async () => {
    await usePolicy({ quietHours: { enabled: true, start: '09:00', end: '11:00' } })
    alerting.remind(reminder)
    await usePolicy({ enabled: false, quietHours: { enabled: true, start: '09:00', end: '11:00' } })
    advance(2 * HOUR)
    await usePolicy({})
    advance(24 * HOUR)
    expect(alerts).toEqual([])
  })

  it('gathers many follow-ups held through quiet hours into one that opens them all', async () => {
    await usePolicy({ quietHours: { enabled: true, start: '09:00', end: '11:00' } })
    const ids = ['a', 'b', 'c', 'd', 'e']
    for (const id of ids) alerting.remind({ ...reminder, mentionId: id })
    advance(2 * HOUR)
    expect(alerts).toHaveLength(1)
    expect(alerts[0]?.title).toBe('5 follow-ups fell due in quiet hours')
    expect(alerts[0]?.mentionIds).toEqual(ids)
  })
})
