/* The responder's report settings, kept on this machine between sessions. */
import { z } from 'zod'
import { DEFAULT_BUSINESS_HOURS, type BusinessHours } from './compute/types'
import { businessHoursSchema } from './protocol'

const KEY = 'earshot:reports'

export type RangePreset = 7 | 30 | 90 | 'custom'

export type ReportPrefs = {
  hours: BusinessHours
  minutes: 'measured' | number
  preset: RangePreset
  /** Custom range as local dates (YYYY-MM-DD), both days included. */
  customFrom: string
  customTo: string
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

const prefsSchema = z.object({
  hours: businessHoursSchema,
  minutes: z.union([z.literal('measured'), z.number().positive().max(600)]),
  preset: z.union([z.literal(7), z.literal(30), z.literal(90), z.literal('custom')]),
  customFrom: day,
  customTo: day,
})

export function localDay(at: number): string {
  const date = new Date(at)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

export function defaultPrefs(now: number = Date.now()): ReportPrefs {
  return {
    hours: DEFAULT_BUSINESS_HOURS,
    minutes: 'measured',
    preset: 30,
    customFrom: localDay(now - 13 * 86_400_000),
    customTo: localDay(now),
  }
}

/** Saved settings, or the defaults when none are saved or they no longer parse. */
export function loadPrefs(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
): ReportPrefs {
  try {
    const saved = storage?.getItem(KEY)
    const parsed = prefsSchema.safeParse(saved ? JSON.parse(saved) : null)
    return parsed.success ? parsed.data : defaultPrefs()
  } catch {
    return defaultPrefs()
  }
}

export function savePrefs(
  prefs: ReportPrefs,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(KEY, JSON.stringify(prefs))
  } catch {
    // A full or disabled storage only loses the preference, never the report.
  }
}

/** Epoch ms of local midnight on a YYYY-MM-DD date. */
function midnight(date: string): number {
  const [year = 1970, month = 1, dayOfMonth = 1] = date.split('-').map(Number)
  return new Date(year, month - 1, dayOfMonth).getTime()
}

/** The range a preset means, today included: [from, to) between local midnights. */
export function rangeOf(
  prefs: ReportPrefs,
  now: number = Date.now(),
): { from: number; to: number } {
  if (prefs.preset === 'custom') {
    const from = midnight(prefs.customFrom)
    const last = midnight(prefs.customTo)
    const end = new Date(Math.max(from, last))
    end.setDate(end.getDate() + 1)
    return { from, to: end.getTime() }
  }
  const end = new Date(now)
  end.setHours(0, 0, 0, 0)
  end.setDate(end.getDate() + 1)
  const start = new Date(end)
  start.setDate(start.getDate() - prefs.preset)
  return { from: start.getTime(), to: end.getTime() }
}
