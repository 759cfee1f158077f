import { describe, expect, it } from 'vitest'
import {
  isSilent,
  newRateModel,
  observePoll,
  rateHealth,
  rateModelSchema,
  recentPerHour,
  silenceNotice,
  type RateModel,
} from '../../../../src/main/sources/source-rate'

const MIN = 60_000
const HOUR = 60 * MIN
const T0 = Date.UTC(2026, 0, 5)

/** Polls every `everyMs` from `from` until `until` (inclusive), `items` each time. */
function run(
  model: RateModel,
  from: number,
  until: number,
  everyMs: number,
  items: number,
): RateModel {
  let next = model
  for (let at = from; at <= until; at += everyMs) next = observePoll(next, items, at)
  return next
}

/** One item every 15 minutes (4 an hour) for four days, the last poll at T0 + 96 h. */
const steady = () => run(newRateModel(T0), T0, T0 + 96 * HOUR, 15 * MIN, 1)
const source = { id: 'blog', name: 'Acme blog' }

describe('the source rate model', () => {
  it('averages over the time each poll covers, not per poll', () => {
    // First poll: backlog only. Then 2 items over 1 h: the usual rate is exactly 2.
    let model = observePoll(newRateModel(T0), 50, T0)
    expect(model.usualPerHour).toBe(0)
    model = observePoll(model, 2, T0 + HOUR)
    expect(model.usualPerHour).toBeCloseTo(2, 10)
    // Then nothing for 1 h: α = 1 − e^(−1/72) = 0.0137931, usual = 2(1 − α)/(2 − α) = 0.993056
    model = observePoll(model, 0, T0 + 2 * HOUR)
    expect(model.usualPerHour).toBeCloseTo(0.993056, 5)
    // The same stream polled hourly or every 15 minutes gives the same usual rate.
    const hourly = run(newRateModel(T0), T0, T0 + 96 * HOUR, HOUR, 4)
    expect(hourly.usualPerHour).toBeCloseTo(4, 6)
    expect(steady().usualPerHour).toBeCloseTo(4, 6)
  })

  it('counts the last 24 hours from hourly buckets', () => {
    // Buckets after T0 + 72 h: 23 full hours of 4, plus the poll at T0 + 96 h: 93 items / 24 h.
    expect(recentPerHour(steady(), T0 + 96 * HOUR)).toBeCloseTo(3.875, 10)
    expect(steady().hours.length).toBeLessThanOrEqual(25)
    // A source two hours old is averaged over those two hours: 8 items after the backlog poll.
    const young = run(newRateModel(T0), T0, T0 + 2 * HOUR, 15 * MIN, 1)
    expect(recentPerHour(young, T0 + 2 * HOUR)).toBeCloseTo(8 / 2, 10)
  })

  it('does not count hours with the app closed as silence', () => {
    // Closed for ten hours overnight, then the first poll finds nothing new yet.
    const reopened = observePoll(steady(), 0, T0 + 106 * HOUR)
    expect(isSilent(reopened, T0 + 106 * HOUR)).toBe(false)
    expect(reopened.silentSince).toBeNull()
    // Watched again and still quiet for six more hours: now it is silence.
    const quiet = run(reopened, T0 + 106 * HOUR + 15 * MIN, T0 + 112 * HOUR, 15 * MIN, 0)
    expect(isSilent(quiet, T0 + 112 * HOUR)).toBe(true)
  })

  it('says no usual rate for a source younger than a day: its first backlog is not a rate', () => {
    // The first poll brings twenty old items; then two an hour for five hours.
    const first = observePoll(newRateModel(T0), 20, T0)
    const young = run(first, T0 + HOUR, T0 + 5 * HOUR, HOUR, 2)
    expect(rateHealth(young, T0 + 5 * HOUR)).toEqual({ itemsPerHour: 2, silentSince: null })
    const dayOld = run(young, T0 + 6 * HOUR, T0 + 24 * HOUR, HOUR, 2)
    expect(rateHealth(dayOld, T0 + 24 * HOUR)).toMatchObject({ usualPerHour: 2 })
  })

  it('does not call a steady source silent', () => {
    const model = steady()
    expect(isSilent(model, T0 + 96 * HOUR)).toBe(false)
    expect(model.silentSince).toBeNull()
    expect(rateHealth(model, T0 + 96 * HOUR)).toEqual({
      itemsPerHour: 3.9,
      usualPerHour: 4,
      silentSince: null,
    })
  })

  it('calls the same source silent after 6 quiet hours, silent since its last item, all day', () => {
    const last = T0 + 96 * HOUR
    const beforeAlarm = run(steady(), last + 15 * MIN, last + 6 * HOUR - 15 * MIN, 15 * MIN, 0)
    expect(beforeAlarm.silentSince).toBeNull()
    // 4 an hour: threshold max(6 h, 8 / 4 h) = 6 h after the last item.
    const alarmed = observePoll(beforeAlarm, 0, last + 6 * HOUR)
    expect(alarmed.silentSince).toBe(last)
    expect(silenceNotice(beforeAlarm, alarmed, source, last + 6 * HOUR)).toEqual({
      mentionId: 'source:blog',
      title: 'Quiet: Acme blog',
      body: 'No mentions for 6 hours; usually about 4 an hour. Check the source.',
    })
    const dayLater = run(alarmed, last + 6 * HOUR + 15 * MIN, last + 24 * HOUR, 15 * MIN, 0)
    expect(isSilent(dayLater, last + 24 * HOUR)).toBe(true)
    expect(dayLater.silentSince).toBe(last)
    // Once per spell: no second notice while the silence lasts.
    const again = observePoll(dayLater, 0, last + 24 * HOUR + 15 * MIN)
    expect(silenceNotice(dayLater, again, source, last + 24 * HOUR + 15 * MIN)).toBeNull()
    // "Usually" is the rate before the silence, not the one the silence dragged down.
    expect(again.usualPerHour).toBeLessThan(4)
    expect(rateHealth(again, last + 24 * HOUR).usualPerHour).toBe(4)
  })

  it('never alarms for a source that rarely speaks, or one without three days of history', () => {
    // One item every 4 hours (0.25 an hour) for a week, then a week of nothing.
    const rare = run(newRateModel(T0), T0, T0 + 168 * HOUR, 4 * HOUR, 1)
    expect(rare.usualPerHour).toBeCloseTo(0.25, 6)
    const quietWeek = run(rare, T0 + 169 * HOUR, T0 + 336 * HOUR, HOUR, 0)
    expect(quietWeek.silentSince).toBeNull()
    expect(isSilent(quietWeek, T0 + 336 * HOUR)).toBe(false)
    // Four an hour for two days, then twelve quiet hours: too young to judge.
    const young = run(newRateModel(T0), T0, T0 + 48 * HOUR, 15 * MIN, 1)
    const quiet = run(young, T0 + 49 * HOUR, T0 + 60 * HOUR, HOUR, 0)
    expect(quiet.silentSince).toBeNull()
  })

  it('waits 8 usual intervals for a slow source: 0.5 an hour alarms after 16 hours', () => {
    const slow = run(newRateModel(T0), T0, T0 + 96 * HOUR, 2 * HOUR, 1)
    expect(slow.speakingPerHour).toBeCloseTo(0.5, 6)
    const last = T0 + 96 * HOUR
    expect(run(slow, last + HOUR, last + 15 * HOUR, HOUR, 0).silentSince).toBeNull()
    expect(run(slow, last + HOUR, last + 16 * HOUR, HOUR, 0).silentSince).toBe(last)
  })

  it('clears the alarm when items arrive, and may alarm again on the next spell', () => {
    const last = T0 + 96 * HOUR
    const silent = run(steady(), last + HOUR, last + 8 * HOUR, HOUR, 0)
    expect(silent.silentSince).toBe(last)
    const spoke = observePoll(silent, 3, last + 9 * HOUR)
    expect(spoke.silentSince).toBeNull()
    expect(isSilent(spoke, last + 9 * HOUR)).toBe(false)
    expect(silenceNotice(silent, spoke, source, last + 9 * HOUR)).toBeNull()
    const silentAgain = run(spoke, last + 10 * HOUR, last + 15 * HOUR, HOUR, 0)
    expect(silenceNotice(spoke, silentAgain, source, last + 15 * HOUR)).not.toBeNull()
  })

  it('survives a round trip through JSON', () => {
    const model = steady()
    expect(rateModelSchema.parse(JSON.parse(JSON.stringify(model)))).toEqual(model)
  })
})
