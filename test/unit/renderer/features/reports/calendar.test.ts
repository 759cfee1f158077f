import { describe, expect, it } from 'vitest'
import {
  businessMinutes,
  dayIndex,
  daysIn,
  fixedZone,
  rememberingZone,
  systemZone,
  type LocalZone,
} from '../../../../../src/renderer/src/features/reports/compute/calendar'
import { measuredMinutes } from '../../../../../src/renderer/src/features/reports/compute/responses'
import {
  staffing,
  staffingHours,
} from '../../../../../src/renderer/src/features/reports/compute/staffing'
import {
  quantile,
  trimmedMean,
} from '../../../../../src/renderer/src/features/reports/compute/stats'
import {
  DEFAULT_BUSINESS_HOURS,
  type ReportAction,
} from '../../../../../src/renderer/src/features/reports/compute/types'
import { FRI, HOUR, MON, SAT, SUN, TUE } from './report-data'

const utc = fixedZone(0)
const nineToFive = DEFAULT_BUSINESS_HOURS
const MIN = 60_000

describe('business hours', () => {
  it('counts only working hours across a weekend', () => {
    // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday, none on the weekend.
    expect(businessMinutes(FRI + 16 * HOUR, MON + 10 * HOUR, nineToFive, utc)).toBe(120)
    // Saturday morning to Monday 9:30: the clock starts at 9:00 on Monday.
    expect(businessMinutes(SAT + 8 * HOUR, MON + 9.5 * HOUR, nineToFive, utc)).toBe(30)
    // Entirely in the weekend, or overnight outside hours: nothing.
    expect(businessMinutes(SAT + 10 * HOUR, SUN + 15 * HOUR, nineToFive, utc)).toBe(0)
    expect(businessMinutes(MON + 18 * HOUR, TUE + 8 * HOUR, nineToFive, utc)).toBe(0)
    // Within one working day: plain minutes.
    expect(businessMinutes(MON + 10 * HOUR, MON + 10 * HOUR + 25 * MIN, nineToFive, utc)).toBe(25)
    // A full working week from Monday 00:00 to the next Monday 00:00: five days of eight hours.
    expect(businessMinutes(MON, MON + 7 * 24 * HOUR, nineToFive, utc)).toBe(5 * 8 * 60)
  })

  it('follows the hours the responder sets, days and hours alike', () => {
    const weekendDesk = { days: [0, 6], startHour: 10, endHour: 14 }
    expect(businessMinutes(FRI + 9 * HOUR, MON + 12 * HOUR, weekendDesk, utc)).toBe(2 * 4 * 60)
    expect(businessMinutes(MON, TUE, { days: [], startHour: 9, endHour: 17 }, utc)).toBe(0)
    expect(businessMinutes(MON + 12 * HOUR, MON + 11 * HOUR, nineToFive, utc)).toBe(0)
  })

  it('reads hours on the local clock: an hour east, 9:00 local is 8:00 UTC', () => {
    const east = fixedZone(60)
    expect(businessMinutes(MON + 7 * HOUR, MON + 9 * HOUR, nineToFive, east)).toBe(60)
  })

  it('lists local days and finds the day of an instant', () => {
    expect(daysIn(FRI + 5 * HOUR, TUE, utc)).toEqual([FRI, SAT, SUN, MON])
    const days = [FRI, SAT, SUN, MON]
    expect(dayIndex(days, TUE, FRI)).toBe(0)
    expect(dayIndex(days, TUE, SUN + 23 * HOUR)).toBe(2)
    expect(dayIndex(days, TUE, MON + 1)).toBe(3)
    expect(dayIndex(days, TUE, TUE)).toBe(-1)
    expect(dayIndex(days, TUE, FRI - 1)).toBe(-1)
  })

  it("the system zone's days start at local midnight", () => {
    const days = daysIn(Date.now() - 3 * 24 * HOUR, Date.now(), systemZone)
    for (const day of days) expect(new Date(day).getHours()).toBe(0)
    expect(days.length).toBeGreaterThanOrEqual(3)
  })

  it('remembers a zone’s days: the same business minutes, each day asked of the zone once', () => {
    const asked: string[] = []
    const zone = fixedZone(330)
    const counting: LocalZone = {
      startOfDay: (at) => zone.startOfDay(at),
      nextDay: (day) => (asked.push(`next ${day}`), zone.nextDay(day)),
      weekday: (at) => (asked.push(`weekday ${at}`), zone.weekday(at)),
      atHour: (day, hour) => (asked.push(`${hour} ${day}`), zone.atHour(day, hour)),
    }
    const remembering = rememberingZone(counting)
    // A thousand complaints over one week, each answered within two days.
    for (let n = 0; n < 1000; n++) {
      const start = FRI + ((n * 7919) % (7 * 24 * 60)) * MIN
      const end = start + ((n * 104_729) % (48 * 60)) * MIN
      expect(businessMinutes(start, end, nineToFive, remembering)).toBe(
        businessMinutes(start, end, nineToFive, zone),
      )
    }
    // Nine days at most were touched, each asked four things once.
    expect(new Set(asked).size).toBe(asked.length)
    expect(asked.length).toBeLessThanOrEqual(9 * 4)
  })
})

describe('staffing formula', () => {
  it('is conversations per community x communities x minutes / 60', () => {
    expect(staffingHours(5, 3, 20)).toBe(5)
    expect(staffingHours(12, 1, 30)).toBe(6)
    expect(staffingHours(0, 4, 20)).toBe(0)
  })

  it('takes the median day as quiet and the 90th percentile day as busy', () => {
    // Ten days over 2 communities: 0 2 4 4 6 8 10 12 20 40 conversations.
    const counts = [0, 2, 4, 4, 6, 8, 10, 12, 20, 40]
    const result = staffing({
      conversationsPerDay: counts.map((conversations, day) => ({ day, conversations })),
      communities: 2,
      minutes: 20,
      minutesBasis: 'default',
      measuredSamples: 0,
    })
    // Per community: 0 1 2 2 3 4 5 6 10 20. Median (3 + 4) / 2 = 3.5; p90 at rank 8.1: 10 + 0.1 x 10 = 11.
    expect(result.quietPerCommunity).toBe(3.5)
    expect(result.busyPerCommunity).toBeCloseTo(11, 10)
    // 3.5 x 2 x 20 / 60 = 2.333 h; 11 x 2 x 20 / 60 = 7.333 h; of an 8-hour day.
    expect(result.quietHours).toBeCloseTo(7 / 3, 10)
    expect(result.busyHours).toBeCloseTo(22 / 3, 10)
    expect(result.quietShare).toBeCloseTo(7 / 24, 10)
    expect(result.busyShare).toBeCloseTo(22 / 24, 10)
  })

  it('measures minutes per conversation from the gaps between the responder’s own actions', () => {
    const at = (minutes: number) => MON + 9 * HOUR + minutes * MIN
    const done = (id: string, minutes: number): ReportAction => ({
      mentionId: id,
      at: at(minutes),
      kind: 'status',
      detail: { from: 'open', to: 'done' },
    })
    const actions: ReportAction[] = [
      { mentionId: 'a', at: at(0), kind: 'note', detail: {} },
      done('a', 10),
      done('b', 22),
      { mentionId: 'c', at: at(30), kind: 'reply', detail: {} },
      done('c', 31),
      done('d', 45),
      // A lunch break of two hours: not a conversation's length.
      done('e', 165),
      done('f', 180),
      // Seventy minutes since the last: a break too.
      done('g', 250),
      done('h', 252),
      done('i', 310),
    ]
    // Answers after a gap within the hour: 10, 12, 8 (c's reply), 1, 14, 15, 2, 58. Trimmed a
    // tenth each end of eight: floor(0.8) = 0, so the plain mean: 120 / 8 = 15.
    expect(measuredMinutes(actions, MON, TUE)).toEqual({ minutes: 15, samples: 8 })
    // Outside the window nothing counts.
    expect(measuredMinutes(actions, TUE, TUE + HOUR)).toEqual({ minutes: null, samples: 0 })
  })
})

describe('order statistics', () => {
  it('interpolates between closest ranks', () => {
    expect(quantile([1, 2, 3, 10], 0.5)).toBe(2.5)
    expect(quantile([15, 60, 120], 0.9)).toBe(108)
    expect(quantile([7], 0.9)).toBe(7)
    expect(quantile([], 0.5)).toBeNull()
  })

  it('trims a tenth at each end', () => {
    expect(trimmedMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 100])).toBe(5.5)
    expect(trimmedMean([])).toBeNull()
  })
})
