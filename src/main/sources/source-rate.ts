/* How often a source usually speaks, and whether it has gone quiet for longer than it should.
   Pure and JSON-serialisable, so the model lives in health.json and survives a restart. */
import { z } from 'zod'

const HOUR_MS = 3_600_000

/**
 * The usual rate forgets with a time constant of about three days: long enough that a quiet
 * night or weekend does not redefine "usual", short enough to follow a source that changes.
 */
export const USUAL_TAU_HOURS = 72
/** A source "usually speaks" at half an item an hour or more... */
export const SPEAKS_PER_HOUR = 0.5
/** ...judged over at least three days, so a new source never alarms on a guess. */
export const MIN_HISTORY_MS = 3 * 24 * HOUR_MS
/** Silence shorter than this never alarms: nights and lunch breaks are normal. */
export const MIN_SILENCE_MS = 6 * HOUR_MS
/** Silence must last as long as this many items would usually take to arrive. */
export const SILENCE_ITEMS = 8
const RECENT_HOURS = 24

export const rateModelSchema = z.object({
  /** When the model began: the start of the source's history. */
  since: z.number(),
  lastPollAt: z.number().nullable(),
  lastItemAt: z.number().nullable(),
  /** Time-weighted average of items per hour, corrected for the part of history not yet seen. */
  usualPerHour: z.number().nonnegative(),
  /** How much of the average's memory is filled: 1 − e^(−observed/τ). */
  weight: z.number().min(0).max(1),
  /**
   * The usual rate when the last item arrived. Silence is judged against this, because the
   * running average decays during the very silence being measured: a slow source would otherwise
   * talk itself out of its own alarm.
   */
  speakingPerHour: z.number().nonnegative(),
  /** Items per clock hour, newest last, at most the last 24 hours. */
  hours: z.array(z.tuple([z.number(), z.number().int().nonnegative()])).max(RECENT_HOURS + 1),
  /** The start of a noticed silent spell (the last item's time); cleared when items arrive. */
  silentSince: z.number().nullable(),
})
export type RateModel = z.infer<typeof rateModelSchema>

export const newRateModel = (now: number): RateModel => ({
  since: now,
  lastPollAt: null,
  lastItemAt: null,
  usualPerHour: 0,
  weight: 0,
  speakingPerHour: 0,
  hours: [],
  silentSince: null,
})

/**
 * The model after a successful poll at `now` that delivered `items`. The first poll's items only
 * set `lastItemAt`: they are whatever backlog the source had, not a rate.
 */
export function observePoll(model: RateModel, items: number, now: number): RateModel {
  const count = Math.max(0, Math.floor(items))
  const hourStart = Math.floor(now / HOUR_MS) * HOUR_MS
  const hours = model.hours.filter(([at]) => at > now - RECENT_HOURS * HOUR_MS)
  const last = hours[hours.length - 1]
  // The first poll's items are a backlog of unknown age, so they fill no hour either.
  if (count > 0 && model.lastPollAt !== null) {
    if (last && last[0] === hourStart) hours[hours.length - 1] = [hourStart, last[1] + count]
    else hours.push([hourStart, count])
  }

  let { usualPerHour, weight } = model
  const elapsedHours = model.lastPollAt === null ? 0 : (now - model.lastPollAt) / HOUR_MS
  if (elapsedHours > 0) {
    // A continuous-time average: a poll's weight grows with the time it covers, so polling
    // every minute or every hour gives the same usual rate for the same stream of items.
    const alpha = 1 - Math.exp(-elapsedHours / USUAL_TAU_HOURS)
    const nextWeight = weight + alpha * (1 - weight)
    usualPerHour += (alpha / nextWeight) * (count / elapsedHours - usualPerHour)
    weight = nextWeight
  }

  // Hours with the app closed or the source paused were not watched; they are not silence. A gap
  // between polls beyond the longest usual interval moves the last item forward by the excess.
  const gap = model.lastPollAt === null ? 0 : now - model.lastPollAt
  const unwatched = Math.max(0, gap - UNWATCHED_AFTER_MS)
  const next: RateModel = {
    ...model,
    lastItemAt: model.lastItemAt === null ? null : model.lastItemAt + unwatched,
    lastPollAt: now,
    usualPerHour,
    weight,
    hours: hours.slice(-RECENT_HOURS - 1),
  }
  if (count > 0) {
    return { ...next, lastItemAt: now, speakingPerHour: usualPerHour, silentSince: null }
  }
  // The silence began with the last item, not when a poll noticed it.
  if (next.silentSince === null && isSilent(next, now)) {
    return { ...next, silentSince: next.lastItemAt }
  }
  return next
}

/** Longer than any usual poll interval: a gap beyond it means nobody was listening. */
const UNWATCHED_AFTER_MS = 2 * HOUR_MS

/** How long silence must last before it alarms, for a source speaking `perHour`. */
export const silenceThresholdMs = (perHour: number): number =>
  Math.max(MIN_SILENCE_MS, (SILENCE_ITEMS / perHour) * HOUR_MS)

/**
 * True when a source that usually speaks (at least 0.5 items an hour, over at least three days of
 * history) has delivered nothing for max(6 h, 8 / usual-rate hours).
 */
export function isSilent(model: RateModel, now: number): boolean {
  if (model.lastItemAt === null) return false
  if (now - model.since < MIN_HISTORY_MS) return false
  if (model.speakingPerHour < SPEAKS_PER_HOUR) return false
  return now - model.lastItemAt >= silenceThresholdMs(model.speakingPerHour)
}

/** Items an hour over the last 24 hours, or over the history when it is shorter (at least 1 h). */
export function recentPerHour(model: RateModel, now: number): number {
  const from = now - RECENT_HOURS * HOUR_MS
  const items = model.hours.reduce((sum, [at, count]) => (at > from ? sum + count : sum), 0)
  const spanHours = Math.min(RECENT_HOURS, Math.max(1, (now - model.since) / HOUR_MS))
  return items / spanHours
}

/**
 * A usual rate is said only once the source has this much history: before a day has passed, a
 * new source's "usually 0" (its first poll's backlog is no rate) would read as a dead channel.
 */
export const USUAL_AFTER_MS = RECENT_HOURS * HOUR_MS

/** The health fields the renderer shows, rounded to what a person reads. */
export function rateHealth(
  model: RateModel,
  now: number,
): { itemsPerHour: number; usualPerHour?: number; silentSince: number | null } {
  const round = (n: number) => Math.round(n * 10) / 10
  const itemsPerHour = round(recentPerHour(model, now))
  if (now - model.since < USUAL_AFTER_MS) return { itemsPerHour, silentSince: model.silentSince }
  return {
    itemsPerHour,
    // While silent, "usually" means the rate before the silence, as the alarm itself does.
    usualPerHour: round(model.silentSince === null ? model.usualPerHour : model.speakingPerHour),
    silentSince: model.silentSince,
  }
}

/**
 * The notification due after a poll moved the model from `before` to `after`: one when a silent
 * spell begins, none while it lasts (silentSince stays set until items arrive) or otherwise.
 */
export function silenceNotice(
  before: RateModel | undefined,
  after: RateModel,
  source: { id: string; name: string },
  now: number,
): { mentionId: string; title: string; body: string } | null {
  if (after.silentSince === null || (before?.silentSince ?? null) !== null) return null
  return silenceAlert(source.id, source.name, after, now)
}

/** The notification for a source that just went quiet. */
export function silenceAlert(
  sourceId: string,
  sourceName: string,
  model: RateModel,
  now: number,
): { mentionId: string; title: string; body: string } {
  const quietHours = Math.round((now - (model.lastItemAt ?? now)) / HOUR_MS)
  const usual = Math.round(model.speakingPerHour * 10) / 10
  return {
    mentionId: `source:${sourceId}`,
    title: `Quiet: ${sourceName}`.slice(0, 200),
    body: `No mentions for ${quietHours} hours; usually about ${usual} an hour. Check the source.`,
  }
}
