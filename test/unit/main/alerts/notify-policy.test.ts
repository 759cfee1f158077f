import { describe, expect, it } from 'vitest'
import {
  addToDigest,
  decide,
  digestAlert,
  emptyDigest,
  inQuietHours,
  mentionAlert,
  spikeAlert,
} from '../../../../src/main/alerts/notify-policy'
import {
  defaultNotificationPolicy,
  notificationPolicySchema,
  type NotificationPolicy,
} from '../../../../src/shared/alert-policy'
import { at, scored, utcMinuteOfDay } from './alert-fixtures'

const policy = (change: Partial<NotificationPolicy> = {}): NotificationPolicy => ({
  ...defaultNotificationPolicy(),
  ...change,
})
const night = policy({ quietHours: { enabled: true, start: '22:00', end: '07:00' } })
const decideAt = (p: NotificationPolicy, clock: string, mention = scored()) =>
  decide({ kind: 'mention', mention }, p, at(clock), utcMinuteOfDay)

describe('quiet hours', () => {
  it('cross midnight: late evening and early morning are quiet, the day is not', () => {
    const minute = (clock: string) => utcMinuteOfDay(at(clock))
    expect(inQuietHours(night, minute('21:59'))).toBe(false)
    expect(inQuietHours(night, minute('22:00'))).toBe(true)
    expect(inQuietHours(night, minute('23:59'))).toBe(true)
    expect(inQuietHours(night, minute('00:00'))).toBe(true)
    expect(inQuietHours(night, minute('06:59'))).toBe(true)
    expect(inQuietHours(night, minute('07:00'))).toBe(false)
    expect(inQuietHours(night, minute('12:00'))).toBe(false)
  })

  it('within one day when the start comes first, and never when switched off', () => {
    const lunch = policy({ quietHours: { enabled: true, start: '12:00', end: '13:30' } })
    expect(inQuietHours(lunch, utcMinuteOfDay(at('12:45')))).toBe(true)
    expect(inQuietHours(lunch, utcMinuteOfDay(at('13:30')))).toBe(false)
    expect(inQuietHours(lunch, utcMinuteOfDay(at('23:00')))).toBe(false)
    const off = policy({ quietHours: { enabled: false, start: '00:00', end: '23:59' } })
    expect(inQuietHours(off, utcMinuteOfDay(at('12:00')))).toBe(false)
  })

  it('hold an urgent mention at night and let it through by day', () => {
    expect(decideAt(night, '23:30')).toEqual({
      action: 'hold',
      severity: 'urgent',
      because: 'quiet-hours',
    })
    expect(decideAt(night, '09:00')).toEqual({ action: 'notify', severity: 'urgent' })
  })

  it('let crisis words break through, unless the responder said not to', () => {
    const lawyer = scored({ crisis: true })
    expect(decideAt(night, '03:00', lawyer)).toEqual({ action: 'notify', severity: 'crisis' })
    expect(decideAt({ ...night, crisisBreaksThrough: false }, '03:00', lawyer)).toMatchObject({
      action: 'hold',
      because: 'quiet-hours',
    })
  })
})

describe('threshold and switches', () => {
  it('notifies at the threshold and lets the rest go to the digest', () => {
    const p = policy({ urgencyThreshold: 60 })
    expect(decideAt(p, '10:00', scored({ urgency: 60 })).action).toBe('notify')
    expect(decideAt(p, '10:00', scored({ urgency: 59 }))).toEqual({ action: 'digest' })
    // A crisis word below the threshold does not interrupt on its own.
    expect(decideAt(p, '10:00', scored({ urgency: 40, crisis: true }))).toEqual({
      action: 'digest',
    })
  })

  it('silences one source without silencing the others', () => {
    const p = policy({ perSource: { 'mastodon-1': false, 'rss-blog': true } })
    expect(decideAt(p, '10:00', scored({ sourceId: 'mastodon-1' }))).toMatchObject({
      action: 'hold',
      because: 'source-off',
    })
    expect(decideAt(p, '10:00', scored({ sourceId: 'rss-blog' })).action).toBe('notify')
    expect(decideAt(p, '10:00', scored({ sourceId: 'hn-new' })).action).toBe('notify')
  })

  it('switches severities apart: urgent off still lets a crisis through', () => {
    const p = policy({ perSeverity: { urgent: false, crisis: true, spike: true, silence: true } })
    expect(decideAt(p, '10:00', scored())).toMatchObject({
      action: 'hold',
      because: 'severity-off',
    })
    expect(decideAt(p, '10:00', scored({ crisis: true })).action).toBe('notify')
    const silence = decide(
      { kind: 'silence', sourceId: 'rss-blog' },
      p,
      at('10:00'),
      utcMinuteOfDay,
    )
    expect(silence.action).toBe('notify')
    const noSilence = policy({
      perSeverity: { urgent: true, crisis: true, spike: true, silence: false },
    })
    expect(
      decide({ kind: 'silence', sourceId: 'rss-blog' }, noSilence, at('10:00'), utcMinuteOfDay),
    ).toMatchObject({ action: 'hold', because: 'severity-off' })
  })

  it('holds everything when notifications are off', () => {
    expect(decideAt(policy({ enabled: false }), '10:00', scored({ crisis: true }))).toMatchObject({
      action: 'hold',
      because: 'disabled',
    })
  })

  it('lets a routing rule force or suppress a notification', () => {
    const quiet = scored({ urgency: 10 })
    const p = policy()
    expect(
      decide(
        { kind: 'mention', mention: quiet, forceNotify: true },
        p,
        at('10:00'),
        utcMinuteOfDay,
      ),
    ).toEqual({ action: 'notify', severity: 'urgent' })
    expect(
      decide(
        { kind: 'mention', mention: scored(), suppress: true },
        p,
        at('10:00'),
        utcMinuteOfDay,
      ),
    ).toMatchObject({ action: 'hold', because: 'suppressed' })
  })
})

describe('what a notification says', () => {
  it('says who, where and why in one line, and quotes the post', () => {
    const alert = mentionAlert(scored({ id: 'mastodon:1', crisis: true }))
    expect(alert.title).toBe('@ana on Mastodon: directed, refund, lawyer')
    expect(alert.body).toBe('‘still waiting for my refund from Acme, three weeks now’')
    expect(alert.mentionId).toBe('mastodon:1')
    expect(alert.kind).toBe('mention')
  })

  it('names a spike’s words and posts and leads with the chosen post', () => {
    const alert = spikeAlert(
      {
        kind: 'volume',
        topic: 'Acme',
        at: 0,
        count: 40,
        usual: 5,
        words: ['outage', 'login'],
        mentionIds: ['a', 'b', 'c'],
        summary: 'Acme: 40 mentions this hour, usually 5 (outage, login)',
      },
      'b',
    )
    expect(alert).toMatchObject({
      kind: 'spike',
      mentionId: 'b',
      mentionIds: ['a', 'b', 'c'],
      query: 'outage login',
      title: 'Spike: Acme',
    })
    expect(alert.body).toContain('outage, login')
  })

  it('sums up the digest: the count, what was held, the three most urgent', () => {
    let digest = emptyDigest(0)
    const urgencies = [30, 90, 10, 75, 50]
    for (const [i, urgency] of urgencies.entries()) {
      digest = addToDigest(
        digest,
        scored({ id: `m${i}`, urgency, handle: `user${i}` }),
        urgency >= 70,
      )
    }
    const alert = digestAlert(digest)
    expect(alert.title).toBe('5 mentions did not interrupt')
    expect(alert.body).toBe(
      '2 held back by quiet hours or your switches. Most urgent: @user1 on Mastodon (90), @user3 on Mastodon (75), @user4 on Mastodon (50).',
    )
    expect(alert.mentionId).toBe('m1')
    expect(alert.mentionIds).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
  })

  it('keeps the earliest of equally urgent mentions in the digest, and counts every one', () => {
    let digest = emptyDigest(0)
    for (const i of [0, 1, 2, 3, 4]) {
      digest = addToDigest(digest, scored({ id: `m${i}`, urgency: 40, handle: `user${i}` }), false)
    }
    digest = addToDigest(digest, scored({ id: 'late', urgency: 41, handle: 'late' }), false)
    expect(digest.count).toBe(6)
    expect(digest.top.map((entry) => [entry.mentionId, entry.line])).toEqual([
      ['late', '@late on Mastodon'],
      ['m0', '@user0 on Mastodon'],
      ['m1', '@user1 on Mastodon'],
    ])
  })
})

describe('the policy schema', () => {
  it('accepts the defaults and refuses times and thresholds that make no sense', () => {
    expect(notificationPolicySchema.safeParse(defaultNotificationPolicy()).success).toBe(true)
    const bad = [
      { ...defaultNotificationPolicy(), urgencyThreshold: 101 },
      { ...defaultNotificationPolicy(), quietHours: { enabled: true, start: '7pm', end: '07:00' } },
      { ...defaultNotificationPolicy(), repeat: { everyMinutes: 0, maxTimes: 3 } },
      { ...defaultNotificationPolicy(), digest: { enabled: true, everyMinutes: -5 } },
    ]
    for (const candidate of bad)
      expect(notificationPolicySchema.safeParse(candidate).success).toBe(false)
  })
})
