/* How many people the conversation takes: the formula managers are given, over quiet and busy days. */
import { quantile } from './stats'
import { FULL_TIME_HOURS, type Staffing } from './types'

/** Conversations a day per community x communities x minutes per conversation / 60. */
export const staffingHours = (perCommunity: number, communities: number, minutes: number) =>
  (perCommunity * communities * minutes) / 60

export type StaffingInput = {
  /** Conversations on each day of the range, quiet days (0) included. */
  conversationsPerDay: { day: number; conversations: number }[]
  communities: number
  minutes: number
  minutesBasis: Staffing['minutesBasis']
  measuredSamples: number
}

/** Quiet is the median day, busy the 90th percentile day; hours and the share of one person. */
export function staffing(input: StaffingInput): Staffing {
  const { conversationsPerDay, communities, minutes } = input
  const perCommunity = conversationsPerDay.map((entry) =>
    communities > 0 ? entry.conversations / communities : 0,
  )
  const quietPerCommunity = quantile(perCommunity, 0.5) ?? 0
  const busyPerCommunity = quantile(perCommunity, 0.9) ?? 0
  const quietHours = staffingHours(quietPerCommunity, communities, minutes)
  const busyHours = staffingHours(busyPerCommunity, communities, minutes)
  return {
    minutesPerConversation: minutes,
    minutesBasis: input.minutesBasis,
    measuredSamples: input.measuredSamples,
    communities,
    quietPerCommunity,
    busyPerCommunity,
    quietHours,
    busyHours,
    quietShare: quietHours / FULL_TIME_HOURS,
    busyShare: busyHours / FULL_TIME_HOURS,
    conversationsPerDay,
  }
}
