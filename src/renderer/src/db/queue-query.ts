import { Dexie, type IndexableType } from 'dexie'
import type { Intent, Mention, SentimentLabel } from '../../../shared/domain'
import type { EarshotDb, ResponderState, ResponderStatus } from './database'
import { withWords } from './history-query'
import { isEmptyQuery, parseQuery, type ParsedQuery } from './search-index'
import { isInbox } from './state-keys'
import { inflowOverlayOf } from './inflow-overlay'
import { readyMirrorOf, type StateMirror } from './state-mirror'

export type QueueSort = 'time' | 'urgency'

/** The built-in views. `all` is every mention, whatever its status. */
export const VIEW_IDS = [
  'inbox',
  'urgent',
  'watching',
  'waiting',
  'snoozed',
  'done',
  'all',
] as const
export type ViewId = (typeof VIEW_IDS)[number]

export const viewLabels: Record<ViewId, string> = {
  inbox: 'Inbox',
  urgent: 'Urgent',
  watching: 'Watching',
  waiting: 'Waiting on department',
  snoozed: 'Snoozed',
  done: 'Done',
  all: 'All',
}

/** Narrowing on top of a view; an absent key does not filter. */
export type QueueFilters = {
  status?: ResponderStatus
  intent?: Intent
  sourceId?: string
  directed?: boolean
  sentiment?: SentimentLabel
  urgencyAtLeast?: number
  department?: string
  /** Epoch milliseconds, inclusive. */
  from?: number
  to?: number
  authorId?: string
  /** Shown on the author chip; not part of the match. */
  authorName?: string
  /**
   * Every word must occur in the title, text or author (accents and case folded, the last word
   * also as a prefix, "quoted phrases" in order), as in History: read off the word index.
   */
  words?: string
}

/** A change to the filters: an undefined value removes that filter. */
export type FiltersPatch = { [K in keyof QueueFilters]?: QueueFilters[K] | undefined }

export type QueueSpec = { view: ViewId; sort: QueueSort; filters: QueueFilters }

export type QueueRow = { mention: Mention; state: ResponderState }
export type ViewCounts = Record<ViewId, number>
/** A slice of the queue as displayed: rows[i] sits at position start + i. */
export type QueueWindow = { start: number; rows: QueueRow[] }

/**
 * Words are found through the word index, whatever the view's size. Only quoted phrases read each
 * candidate's word row (its words in order), so those check no more than this many of the newest
 * (or most urgent) candidates; the screen says when it stopped there.
 */
export const WORDS_WINDOW = 5000

const { minKey, maxKey } = Dexie

type StateCollection = ReturnType<EarshotDb['states']['toCollection']>

/**
 * The index behind a view and its key prefix, in time order: every view is one range of one index.
 * The urgency-ordered copies of these indexes went in schema v5 (each cost every stored mention an
 * index entry at ingest): the urgency order is the mirror's (state-mirror.ts), or, before it has
 * loaded, the view's time range sorted in memory. Inbox and Urgent read sparse indexes (schema v6):
 * only the states in those views carry their key (state-keys.ts withViewKeys).
 */
function viewRange(view: ViewId): { index: string; prefix: IndexableType[] } {
  switch (view) {
    case 'all':
      return { index: 'createdAt', prefix: [] }
    case 'inbox':
      return { index: '[inbox+createdAt]', prefix: [1] }
    case 'urgent':
      return { index: '[urgent+createdAt]', prefix: [1] }
    default:
      return { index: '[status+createdAt]', prefix: [viewStatus[view]] }
  }
}

const viewStatus: Record<'watching' | 'waiting' | 'snoozed' | 'done', ResponderStatus> = {
  watching: 'monitor',
  waiting: 'waiting',
  snoozed: 'snoozed',
  done: 'done',
}

/** Whether a state belongs to a view: the same rule as the view's index range. */
export function inView(state: ResponderState, view: ViewId): boolean {
  switch (view) {
    case 'all':
      return true
    case 'inbox':
      return isInbox(state.status, state.directed)
    case 'urgent':
      return state.urgent === 1
    default:
      return state.status === viewStatus[view]
  }
}

/** A state's key in a view's (time-ordered) index. */
function viewKey(state: ResponderState, view: ViewId): IndexableType {
  const { prefix } = viewRange(view)
  return prefix.length === 0 ? state.createdAt : ([...prefix, state.createdAt] as IndexableType)
}

/**
 * One view newest first (ties by id, descending), or in index order (oldest first). A date range
 * narrows the range itself. Reading a window costs the same at 100 rows or 100,000.
 */
export function viewCollection(
  db: EarshotDb,
  view: ViewId,
  dates: { from?: number; to?: number } = {},
  order: 'display' | 'index' = 'display',
): StateCollection {
  const { index, prefix } = viewRange(view)
  const low = dates.from !== undefined ? dates.from : minKey
  const high = dates.to !== undefined ? dates.to : maxKey
  const range =
    prefix.length === 0
      ? low === minKey && high === maxKey
        ? db.states.orderBy(index)
        : db.states.where(index).between(low, high, true, true)
      : // A key prefix sorts before its extensions; maxKey closes it (one maxKey object per key:
        // Dexie refuses the same object twice inside one key as a cycle).
        db.states.where(index).between([...prefix, low], [...prefix, high], true, true)
  return order === 'display' ? range.reverse() : range
}

/**
 * True when a spec filters nothing and is sorted by time: its rows are a plain index range, read a
 * window at a time. A view sorted by urgency is a list of matches instead (no index holds that
 * order since schema v5): the mirror's, or the view's range sorted while the mirror loads.
 */
export function isPlain(filters: QueueFilters, sort: QueueSort = 'time'): boolean {
  if (sort !== 'time') return false
  return Object.entries(filters).every(
    ([key, value]) =>
      key === 'authorName' ||
      value === undefined ||
      (key === 'words' && typeof value === 'string' && value.trim() === ''),
  )
}

/** The filters a state alone can answer (all but words). */
export function matchesState(state: ResponderState, filters: QueueFilters): boolean {
  const f = filters
  if (f.status !== undefined && state.status !== f.status) return false
  if (f.intent !== undefined && state.intent !== f.intent) return false
  if (f.sourceId !== undefined && state.sourceId !== f.sourceId) return false
  if (f.directed !== undefined && state.directed !== (f.directed ? 1 : 0)) return false
  if (f.sentiment !== undefined && state.sentiment !== f.sentiment) return false
  if (f.urgencyAtLeast !== undefined && state.urgency < f.urgencyAtLeast) return false
  if (f.department !== undefined && state.department !== f.department) return false
  if (f.from !== undefined && state.createdAt < f.from) return false
  if (f.to !== undefined && state.createdAt > f.to) return false
  if (f.authorId !== undefined && state.authorId !== f.authorId) return false
  return true
}

/** The parsed word filter, or null when it asks for nothing. */
export function wordQuery(words: string | undefined): ParsedQuery | null {
  const query = parseQuery(words ?? '')
  return isEmptyQuery(query) ? null : query
}

const byDisplayOrder = (sort: QueueSort) => (a: ResponderState, b: ResponderState) =>
  (sort === 'urgency' ? b.urgency - a.urgency : 0) ||
  b.createdAt - a.createdAt ||
  (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

/** The ids a filtered spec shows, in display order; `truncated` when words stopped at the window. */
export type Matches = { ids: string[]; truncated: boolean }

/**
 * Every id a filtered view shows, in order. The states come from the in-memory mirror when it has
 * loaded; otherwise they are read (the filter keys are copied there) through the narrowest index:
 * the author's own range when an author is set, else the view's range (narrowed by the date range
 * when sorting by time). Words then keep the ids the word index holds for every word; quoted
 * phrases are checked on the word rows of at most WORDS_WINDOW of those (`withWords`).
 */
export async function loadMatches(
  db: EarshotDb,
  spec: QueueSpec,
  mirror?: StateMirror,
): Promise<Matches> {
  const { view, sort, filters } = spec
  const query = wordQuery(filters.words)
  return db.transaction('r', [db.states, db.mentions, db.search, db.meta], async () => {
    const stateFilters: QueueFilters = { ...filters }
    delete stateFilters.words
    const fromMemory = mirror
      ? matchesInMemory(mirror, { view, sort, filters: stateFilters })
      : null
    let ids: string[]
    if (fromMemory) {
      ids = fromMemory.ids
    } else if (filters.authorId !== undefined) {
      // Ranges are read forward in one getAll and tested here: a Dexie filter or a reversed range
      // walks a cursor, one IndexedDB event per row, about ten times slower at 25,000 rows.
      const states = await db.states
        .where('[authorId+createdAt]')
        .between([filters.authorId, minKey], [filters.authorId, maxKey], true, true)
        .toArray()
      ids = states
        .filter((state) => inView(state, view) && matchesState(state, filters))
        .sort(byDisplayOrder(sort))
        .map((state) => state.id)
    } else {
      const states = await viewCollection(db, view, filters, 'index').toArray()
      // Index order is ascending (ties by id ascending): the time order is its reverse.
      const kept: ResponderState[] = []
      for (let at = states.length - 1; at >= 0; at -= 1) {
        const state = states[at]!
        if (matchesState(state, filters)) kept.push(state)
      }
      if (sort !== 'time') kept.sort(byDisplayOrder(sort))
      ids = kept.map((state) => state.id)
    }
    if (query === null) return { ids, truncated: false }
    return withWords(db, ids, query, WORDS_WINDOW)
  })
}

/** Per mirror and view x sort: the view's states in display order, at the version read. */
const viewCache = new WeakMap<
  StateMirror,
  Map<string, { version: number; states: ResponderState[] }>
>()

/** A view's states in display order, from the mirror; sorted once per change of the states. */
function viewInMemory(mirror: StateMirror, view: ViewId, sort: QueueSort): ResponderState[] {
  let cache = viewCache.get(mirror)
  if (!cache) {
    cache = new Map<string, { version: number; states: ResponderState[] }>()
    viewCache.set(mirror, cache)
  }
  const version = mirror.version()
  const cached = cache.get(`${view}:${sort}`)
  if (cached?.version === version) return cached.states
  const states: ResponderState[] = []
  for (const state of mirror.all()) if (inView(state, view)) states.push(state)
  states.sort(byDisplayOrder(sort))
  cache.set(`${view}:${sort}`, { version, states })
  return states
}

/**
 * The ids a filtered spec shows, answered from memory; null while the mirror loads or when the
 * spec searches words (those read the mentions: loadMatches).
 */
export function matchesInMemory(mirror: StateMirror, spec: QueueSpec): Matches | null {
  if (!mirror.ready || wordQuery(spec.filters.words) !== null) return null
  const ids: string[] = []
  for (const state of viewInMemory(mirror, spec.view, spec.sort)) {
    if (matchesState(state, spec.filters)) ids.push(state.id)
  }
  return { ids, truncated: false }
}

/** Mentions a caller already holds, by id: a window reads only the others. */
export type KnownMentions = (id: string) => Mention | undefined

/**
 * The rows for some ids. The states come from the mirror once it has loaded: each IndexedDB get
 * is a request and a success event on the page's main thread, and a window of 150 rows read both
 * tables (300 of them) every time the queue scrolled 50 rows. Mentions the caller already holds
 * (`known`) are not read again, so a window that moved by 50 rows reads those 50.
 */
async function rowsFor(
  db: EarshotDb,
  ids: readonly string[],
  mirror?: StateMirror,
  known?: KnownMentions,
): Promise<QueueRow[]> {
  const held = ids.map((id) => known?.(id))
  const missing = ids.filter((_, index) => held[index] === undefined)
  const [states, fetched] = await Promise.all([
    mirror?.ready ? ids.map((id) => mirror.get(id)) : db.states.bulkGet([...ids]),
    missing.length > 0 ? db.mentions.bulkGet(missing) : [],
  ])
  const rows: QueueRow[] = []
  let next = 0
  ids.forEach((_, index) => {
    const state = states[index]
    const mention = held[index] ?? fetched[next++]
    if (state && mention) rows.push({ mention, state })
  })
  return rows
}

/**
 * The rows at positions [start, start + size) of a view, with their content. A filtered view
 * passes the ids it matched (loadMatches); a plain one is read straight off its index. With a
 * loaded mirror, the states are its own (a live reader also watches the mirror's version).
 * `known` mentions are taken as they are: the caller must drop them when mentions change.
 */
export async function loadQueueWindow(
  db: EarshotDb,
  spec: Pick<QueueSpec, 'view' | 'sort'>,
  start: number,
  size: number,
  matched?: readonly string[],
  mirror?: StateMirror,
  known?: KnownMentions,
): Promise<QueueWindow> {
  // No index holds the urgency order: a caller without the matches gets the view's whole order.
  const ordered =
    matched ??
    (spec.sort === 'time' ? undefined : await viewOrder(db, spec.view, spec.sort, mirror))
  return db.transaction('r', db.mentions, db.states, async () => {
    // A key cursor skips to the offset about twice as fast as one that reads values.
    const ids = ordered
      ? ordered.slice(start, start + size)
      : await viewCollection(db, spec.view).offset(start).limit(size).primaryKeys()
    return { start, rows: await rowsFor(db, ids, mirror, known) }
  })
}

/** Every id of an unfiltered view in display order: from the mirror, or its range sorted. */
async function viewOrder(
  db: EarshotDb,
  view: ViewId,
  sort: QueueSort,
  mirror?: StateMirror,
): Promise<string[]> {
  const loaded = mirror?.ready ? mirror : readyMirrorOf(db)
  if (loaded) return viewInMemory(loaded, view, sort).map((state) => state.id)
  return (await loadMatches(db, { view, sort, filters: {} })).ids
}

/**
 * The most urgent mention of a view, newest on ties (the first row of its urgency order), or
 * undefined when it is empty: from the mirror, else the view's range read once.
 */
export async function mostUrgentIn(db: EarshotDb, view: ViewId): Promise<string | undefined> {
  const mirror = readyMirrorOf(db)
  if (mirror) return viewInMemory(mirror, view, 'urgency')[0]?.id
  const states = await viewCollection(db, view, {}, 'index').toArray()
  const order = byDisplayOrder('urgency')
  let best: ResponderState | undefined
  for (const state of states) if (!best || order(state, best) < 0) best = state
  return best?.id
}

/**
 * Whether delivered mentions wait in the inflow (inflow.ts) while the mirror, which holds their
 * states, has loaded: plain views and counts are then answered from the mirror rather than their
 * indexes, which do not hold those mentions until they are spread, a moment later.
 */
export function showsArrivals(db: EarshotDb, mirror: StateMirror | undefined): boolean {
  return mirror?.ready === true && inflowOverlayOf(db).size > 0
}

/** Per mirror: the built-in views' sizes, at the version counted. */
const countCache = new WeakMap<StateMirror, { version: number; counts: ViewCounts }>()

/**
 * Every built-in view's size, from the mirror: one pass over its states per change, shared by
 * the tabs and the tray count.
 */
export function viewCountsInMemory(mirror: StateMirror): ViewCounts {
  const version = mirror.version()
  const cached = countCache.get(mirror)
  if (cached?.version === version) return cached.counts
  const counts = Object.fromEntries(VIEW_IDS.map((view) => [view, 0])) as ViewCounts
  for (const state of mirror.all()) {
    for (const view of VIEW_IDS) if (inView(state, view)) counts[view] += 1
  }
  countCache.set(mirror, { version, counts })
  return counts
}

/** Every built-in view's size: one index count each. */
export async function loadViewCounts(db: EarshotDb): Promise<ViewCounts> {
  return db.transaction('r', db.states, async () => {
    const counts = await Promise.all(VIEW_IDS.map((view) => viewCollection(db, view).count()))
    return Object.fromEntries(VIEW_IDS.map((view, index) => [view, counts[index]!])) as ViewCounts
  })
}

/**
 * Where a mention sits in a plain view, or -1 if the view does not hold it: by time, a count of
 * the index entries before it, so a notification click can scroll there without loading the
 * queue; by urgency, its place in the view's order (viewOrder).
 */
export async function queuePosition(
  db: EarshotDb,
  view: ViewId,
  sort: QueueSort,
  id: string,
): Promise<number> {
  if (sort !== 'time' || showsArrivals(db, readyMirrorOf(db))) {
    return (await viewOrder(db, view, sort)).indexOf(id)
  }
  return db.transaction('r', db.states, async () => {
    const state = await db.states.get(id)
    if (!state || !inView(state, view)) return -1
    const { index, prefix } = viewRange(view)
    const key = viewKey(state, view)
    const top = prefix.length === 0 ? maxKey : [...prefix, maxKey]
    const above = await db.states.where(index).between(key, top, false, true).count()
    // Equal keys are ordered by id, so descending in a reversed view.
    const ties = await db.states.where(index).equals(key).primaryKeys()
    return above + ties.filter((other) => other > id).length
  })
}

/** Open or watched mentions at or above URGENT_AT: the Urgent view, and the tray count. */
export const countUnhandledUrgent = (db: EarshotDb): Promise<number> =>
  viewCollection(db, 'urgent').count()

/** How many mentions Earshot holds from one author, on any source. */
export const countByAuthor = (db: EarshotDb, authorId: string): Promise<number> =>
  db.states
    .where('[authorId+createdAt]')
    .between([authorId, minKey], [authorId, maxKey], true, true)
    .count()
