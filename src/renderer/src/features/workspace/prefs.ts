import { z } from 'zod'
import { intentSchema, sentimentLabelSchema } from '../../../../shared/domain'
import { RESPONDER_STATUSES } from '../../db/database'
import { VIEW_IDS, type QueueFilters, type QueueSort, type ViewId } from '../../db/queue-query'

/*
 * The responder's own saved views and column layout live in localStorage: they are a few hundred
 * bytes of preference for this screen on this computer, not history, so they stay out of the
 * Dexie schema and out of main's settings file. Everything read back is parsed; a broken entry is
 * ignored rather than trusted.
 */

const filtersSchema = z.object({
  status: z.enum(RESPONDER_STATUSES).optional(),
  intent: intentSchema.optional(),
  sourceId: z.string().max(80).optional(),
  directed: z.boolean().optional(),
  sentiment: sentimentLabelSchema.optional(),
  urgencyAtLeast: z.number().int().min(0).max(100).optional(),
  department: z.string().max(80).optional(),
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
  authorId: z.string().max(2600).optional(),
  authorName: z.string().max(200).optional(),
  words: z.string().max(200).optional(),
})

const savedViewSchema = z.object({
  name: z.string().trim().min(1).max(60),
  view: z.enum(VIEW_IDS),
  sort: z.enum(['time', 'urgency']),
  filters: filtersSchema,
})

export type SavedView = { name: string; view: ViewId; sort: QueueSort; filters: QueueFilters }

const SAVED_KEY = 'earshot.savedViews'
const COLUMNS_KEY = 'earshot.columns'

function read<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key)
    if (!raw) return fallback
    const parsed = schema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : fallback
  } catch {
    return fallback
  }
}

function write(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value))
  } catch {
    // A full or disabled storage loses the preference, not the work.
  }
}

/** Parsed filters may carry keys set to undefined; a view's filters leave them out. */
const withoutUndefined = (filters: z.infer<typeof filtersSchema>): QueueFilters =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined))

export const loadSavedViews = (): SavedView[] =>
  read(SAVED_KEY, z.array(savedViewSchema).max(50), []).map((entry) => ({
    ...entry,
    filters: withoutUndefined(entry.filters),
  }))

/** Saves (or replaces, by name) a view; returns the new list. */
export function saveView(view: SavedView): SavedView[] {
  const list = loadSavedViews().filter((entry) => entry.name !== view.name)
  const parsed = savedViewSchema.parse(view)
  const next = [...list, { ...parsed, filters: withoutUndefined(parsed.filters) }]
  write(SAVED_KEY, next)
  return next
}

export function deleteSavedView(name: string): SavedView[] {
  const next = loadSavedViews().filter((entry) => entry.name !== name)
  write(SAVED_KEY, next)
  return next
}

const columnsSchema = z.object({
  hidden: z.array(z.string().max(40)).max(20),
  widths: z.record(z.string().max(40), z.number().int().min(40).max(1200)),
})
export type ColumnPrefs = z.infer<typeof columnsSchema>

export const loadColumnPrefs = (): ColumnPrefs =>
  read(COLUMNS_KEY, columnsSchema, { hidden: [], widths: {} })

export const saveColumnPrefs = (prefs: ColumnPrefs): void => write(COLUMNS_KEY, prefs)
