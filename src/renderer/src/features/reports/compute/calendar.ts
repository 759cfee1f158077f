/* Local days and business hours. The zone is a parameter so tests pin it; the app uses the
   responder's own (the browser's), daylight saving included. */
import type { BusinessHours } from './types'

export type LocalZone = {
  /** Epoch ms of the local midnight that starts the day holding `at`. */
  startOfDay(at: number): number
  /** The local midnight after the one given. */
  nextDay(dayStart: number): number
  /** 0 Sunday … 6 Saturday, on the local calendar. */
  weekday(at: number): number
  /** Epoch ms of `hour` o'clock (0–24) on the local day starting at `dayStart`. */
  atHour(dayStart: number, hour: number): number
}

/** The browser's (or Node's) own time zone. */
export const systemZone: LocalZone = {
  startOfDay(at) {
    const date = new Date(at)
    date.setHours(0, 0, 0, 0)
    return date.getTime()
  },
  nextDay(dayStart) {
    const date = new Date(dayStart)
    date.setDate(date.getDate() + 1)
    date.setHours(0, 0, 0, 0)
    return date.getTime()
  },
  weekday: (at) => new Date(at).getDay(),
  atHour(dayStart, hour) {
    const date = new Date(dayStart)
    date.setHours(hour, 0, 0, 0)
    return date.getTime()
  },
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** A zone at a fixed offset from UTC (minutes east), without daylight saving: for tests. */
export function fixedZone(offsetMinutes: number): LocalZone {
  const shift = offsetMinutes * 60_000
  const startOfDay = (at: number) => Math.floor((at + shift) / DAY_MS) * DAY_MS - shift
  return {
    startOfDay,
    nextDay: (dayStart) => startOfDay(dayStart) + DAY_MS,
    // 1 January 1970 was a Thursday.
    weekday: (at) => (Math.floor((at + shift) / DAY_MS) + 4) % 7,
    atHour: (dayStart, hour) => startOfDay(dayStart) + hour * HOUR_MS,
  }
}

/**
 * The same zone, remembering its answers per day: business minutes ask the same few dozen days
 * again for each of thousands of answered mentions, and the browser's zone answers through a Date
 * each time. Start of day is asked of arbitrary instants, so it is passed straight on.
 */
export function rememberingZone(zone: LocalZone): LocalZone {
  const next = new Map<number, number>()
  const weekdays = new Map<number, number>()
  const atHours = new Map<number, Map<number, number>>()
  return {
    startOfDay: (at) => zone.startOfDay(at),
    nextDay(dayStart) {
      let found = next.get(dayStart)
      if (found === undefined) next.set(dayStart, (found = zone.nextDay(dayStart)))
      return found
    },
    weekday(at) {
      let found = weekdays.get(at)
      if (found === undefined) weekdays.set(at, (found = zone.weekday(at)))
      return found
    },
    atHour(dayStart, hour) {
      let day = atHours.get(dayStart)
      if (!day) atHours.set(dayStart, (day = new Map<number, number>()))
      let found = day.get(hour)
      if (found === undefined) day.set(hour, (found = zone.atHour(dayStart, hour)))
      return found
    },
  }
}

/** A report never spans more days than this; a wider range is cut there. */
export const MAX_DAYS = 3660

/** The local midnights from `from`'s day up to (not including) `to`. */
export function daysIn(from: number, to: number, zone: LocalZone): number[] {
  const days: number[] = []
  for (let day = zone.startOfDay(from); day < to && days.length < MAX_DAYS;) {
    days.push(day)
    day = zone.nextDay(day)
  }
  return days
}

/** The index of the day holding `at` in sorted day starts, or -1 outside them (`end` closes). */
export function dayIndex(days: readonly number[], end: number, at: number): number {
  if (days.length === 0 || at < (days[0] ?? 0) || at >= end) return -1
  let low = 0
  let high = days.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((days[middle] ?? 0) <= at) low = middle
    else high = middle - 1
  }
  return low
}

/**
 * Minutes of business hours between two instants: a complaint at Friday 16:00 answered Monday
 * 10:00 waited two working hours, not 66. Days outside `hours.days` count nothing.
 */
export function businessMinutes(
  start: number,
  end: number,
  hours: BusinessHours,
  zone: LocalZone,
): number {
  if (!(end > start) || hours.endHour <= hours.startHour || hours.days.length === 0) return 0
  const workdays = new Set(hours.days)
  let total = 0
  let guard = 0
  for (let day = zone.startOfDay(start); day < end && guard < MAX_DAYS; guard++) {
    if (workdays.has(zone.weekday(day))) {
      const open = zone.atHour(day, hours.startHour)
      const close = zone.atHour(day, hours.endHour)
      total += Math.max(0, Math.min(end, close) - Math.max(start, open))
    }
    day = zone.nextDay(day)
  }
  return total / 60_000
}
