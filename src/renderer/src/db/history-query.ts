import { Dexie } from 'dexie'
import type { Intent, Mention } from '../../../shared/domain'
import type { ActionRow, EarshotDb, ResponderState, ResponderStatus } from './database'
import {
  containsPhrase,
  isEmptyQuery,
  parseQuery,
  rankTextOf,
  rankTextOfDoc,
  type ParsedQuery,
  type RankText,
  type SearchDoc,
} from './search-index'
import type { StateMirror } from './state-mirror'
import { inflowOverlayOf } from './inflow-overlay'
import { backlogDocs, docMatches } from './word-backlog'

/** What the History screen narrows on, besides the words. An absent key does not filter. */
export type HistoryFilters = {
  authorId?: string
  /** Shown on the author chip; not part of the match. */
  authorName?: string
  sourceId?: string
  /** Epoch milliseconds, inclusive. */
  from?: number
  to?: number
  status?: ResponderStatus
  intent?: Intent
  department?: string
}

export type HistorySort = 'relevance' | 'time'
export type HistorySpec = { query: string; filters: HistoryFilters; sort: HistorySort }

export type HistoryResult = {
  /** Matching mention ids in display order. */
  ids: string[]
  /**
   * False when relevance was asked for but there were too many matches to read and rank: they
   * are newest first, and the screen says so.
   */
  ranked: boolean
}

/** Ranking reads each match's words; above this many matches, relevance falls back to time. */
export const RANK_LIMIT = 3000
/** Below this many candidates the remaining words are checked on their index rows. */
const VERIFY_LIMIT = 5000
const PAGE = 1000

type Term = { word: string; prefix: boolean }

const termQuery = (db: EarshotDb, term: Term) =>
  term.prefix
    ? db.search.where('words').startsWith(term.word)
    : db.search.where('words').equals(term.word)

const matchesTerm = (words: readonly string[], term: Term): boolean =>
  term.prefix ? words.some((word) => word.startsWith(term.word)) : words.includes(term.word)

/**
 * Key reads grow by these limits: most searches hold one rare word (a name, a product, an order
 * number), and reading a few hundred keys of every word finds it without walking the thousands of
 * entries of the common words beside it ("user", "acme").
 */
export const PROBE_LIMITS = [256, VERIFY_LIMIT] as const

type Probe = { term: Term; keys: string[]; complete: boolean }

/** Up to `limit` keys of each term; a term with fewer is complete (every match is known). */
async function probe(db: EarshotDb, terms: readonly Term[], limit: number): Promise<Probe[]> {
  return Promise.all(
    terms.map(async (term) => {
      const keys = await termQuery(db, term)
        .limit(limit + 1)
        .primaryKeys()
      return { term, keys, complete: keys.length <= limit }
    }),
  )
}

/** The ids holding every word, and the word rows read on the way (to rank from, not read twice). */
type Candidates = { ids: Set<string>; docs: Map<string, SearchDoc> }

/**
 * The ids holding every word (and the prefix), by index: the rarest word's keys, found by probing
 * every word with a small limit first, then the other words checked on those ids' index rows
 * (a few hundred small rows, never a common word's whole key range). Only when every word is
 * common are whole key ranges intersected, rarest first, until few enough remain to check.
 */
export async function candidatesFor(db: EarshotDb, query: ParsedQuery): Promise<Set<string>> {
  return (await findCandidates(db, query, false)).ids
}

/**
 * A filter by words, as the queue applies it to the ids a view shows (in their order): those
 * holding every word, then, for at most `window` of them, every quoted phrase. Phrases are checked
 * on the word rows' word sequence, as History checks them; only a row written before rows carried
 * it sends the check to the mention itself.
 */
export async function withWords(
  db: EarshotDb,
  ids: readonly string[],
  query: ParsedQuery,
  window: number,
): Promise<{ ids: string[]; truncated: boolean }> {
  const candidates = await findCandidates(db, query, query.phrases.length > 0)
  const worded = ids.filter((id) => candidates.ids.has(id))
  if (query.phrases.length === 0) return { ids: worded, truncated: false }
  const checked = worded.slice(0, window)
  const texts = await rankTexts(db, checked, candidates.docs)
  return {
    ids: checked.filter((_, index) => {
      const text = texts[index]
      return text !== undefined && query.phrases.every((p) => containsPhrase(text.sequence, p))
    }),
    truncated: worded.length > window,
  }
}

/**
 * candidatesFor, and the word rows of the candidates when it read them: the word index's answer,
 * corrected by the mentions still waiting for their word rows (word-backlog.ts), whose rows are
 * made from their content now. A backlog mention's indexed row, if any, is an older copy's.
 */
async function findCandidates(
  db: EarshotDb,
  query: ParsedQuery,
  wantRows: boolean,
): Promise<Candidates> {
  const [found, waiting] = await Promise.all([
    indexedCandidates(db, query, wantRows),
    backlogDocs(db),
  ])
  for (const doc of waiting) {
    found.ids.delete(doc.id)
    found.docs.delete(doc.id)
    if (docMatches(doc, query)) {
      found.ids.add(doc.id)
      found.docs.set(doc.id, doc)
    }
  }
  return found
}

/**
 * The word index's candidates, and their rows when it read them. With `wantRows` (the caller ranks
 * or checks phrases) a rare seed word's rows are read in one request over its index range rather
 * than one request per id: at 200,000 mentions, a few hundred single reads were most of a
 * search's time.
 */
async function indexedCandidates(
  db: EarshotDb,
  query: ParsedQuery,
  wantRows: boolean,
): Promise<Candidates> {
  const docs = new Map<string, SearchDoc>()
  const terms: Term[] = query.words.map((word) => ({ word, prefix: false }))
  if (query.prefix !== null) terms.push({ word: query.prefix, prefix: true })
  let probes: Probe[] = []
  for (const limit of PROBE_LIMITS) {
    probes = await probe(db, probes.length === 0 ? terms : probes.map((p) => p.term), limit)
    if (probes.some((found) => found.keys.length === 0)) return { ids: new Set(), docs }
    if (probes.some((found) => found.complete)) break
  }
  probes.sort((a, b) => a.keys.length - b.keys.length)
  // A complete probe, when there is one, sorts first: the incomplete ones hold more keys.
  const [first, ...rest] = probes
  const remaining = rest.map((found) => found.term)
  const keep = (doc: SearchDoc | undefined, kept: Set<string>) => {
    if (doc && remaining.every((term) => matchesTerm(doc.words, term))) {
      kept.add(doc.id)
      docs.set(doc.id, doc)
    }
  }
  if (first!.complete && (remaining.length > 0 || (wantRows && first!.keys.length <= RANK_LIMIT))) {
    const kept = new Set<string>()
    // A prefix range holds a row once per word it matches: the map keeps it once.
    for (const doc of await termQuery(db, first!.term).toArray()) {
      if (!kept.has(doc.id)) keep(doc, kept)
    }
    return { ids: kept, docs }
  }
  let ids = new Set<string>(
    first!.complete ? first!.keys : await termQuery(db, first!.term).primaryKeys(),
  )
  while (remaining.length > 0 && ids.size > VERIFY_LIMIT) {
    const next = remaining.shift()!
    const keys = await termQuery(db, next).primaryKeys()
    const narrowed = new Set<string>()
    for (const key of keys) if (ids.has(key)) narrowed.add(key)
    ids = narrowed
  }
  if (remaining.length === 0 || ids.size === 0) return { ids, docs }
  const kept = new Set<string>()
  for (const doc of await db.search.bulkGet([...ids])) keep(doc, kept)
  return { ids: kept, docs }
}

function passes(state: ResponderState, filters: HistoryFilters): boolean {
  if (filters.authorId !== undefined && state.authorId !== filters.authorId) return false
  if (filters.sourceId !== undefined && state.sourceId !== filters.sourceId) return false
  if (filters.status !== undefined && state.status !== filters.status) return false
  if (filters.intent !== undefined && state.intent !== filters.intent) return false
  if (filters.department !== undefined && state.department !== filters.department) return false
  if (filters.from !== undefined && state.createdAt < filters.from) return false
  if (filters.to !== undefined && state.createdAt > filters.to) return false
  return true
}

/**
 * With no words: the narrowest index range the filters allow, newest first. When that range is
 * the whole answer only its keys are read; otherwise its state rows are tested.
 */
async function filteredIds(db: EarshotDb, filters: HistoryFilters): Promise<string[]> {
  const from = filters.from ?? Dexie.minKey
  const to = filters.to ?? Dexie.maxKey
  const { authorId, status } = filters
  const rest = Object.keys(filters).filter(
    (key) =>
      !['from', 'to', 'authorName', authorId !== undefined ? 'authorId' : 'status'].includes(key),
  )
  const range =
    authorId !== undefined
      ? db.states
          .where('[authorId+createdAt]')
          .between([authorId, from], [authorId, to], true, true)
      : status !== undefined
        ? db.states.where('[status+createdAt]').between([status, from], [status, to], true, true)
        : db.states.where('createdAt').between(from, to, true, true)
  if (rest.length === 0) return range.reverse().primaryKeys()
  const rows = await range.toArray()
  return rows
    .filter((state) => passes(state, filters))
    .reverse()
    .map((state) => state.id)
}

/** How well one mention's words answer the query; higher first. */
export const relevance = (mention: Mention, query: ParsedQuery): number =>
  scoreOf(rankTextOf(mention), query)

/**
 * How well a mention's words, as its search row or the mention itself gives them, answer the
 * query; higher first. One function for both, so a row and its mention always rank alike.
 */
export function scoreOf({ sequence: words, title }: RankText, query: ParsedQuery): number {
  let score = 0
  const typed = [...query.words]
  if (query.prefix !== null) typed.push(query.prefix)
  for (const term of typed) {
    const isPrefix = term === query.prefix
    let hits = 0
    for (const word of words) {
      if (word === term) hits += 2
      else if (isPrefix && word.startsWith(term)) hits += 1
    }
    // Repeating a word helps a little, not without bound.
    score += Math.min(hits, 8)
    if (title.has(term)) score += 2
  }
  // The words as typed, side by side, count as a phrase.
  if (typed.length > 1) {
    const exact = query.words.length === typed.length
    if (exact && containsPhrase(words, typed)) score += 10
    else if (!exact) {
      const head = query.words
      for (let at = 0; at + head.length < words.length; at += 1) {
        if (
          head.every((word, offset) => words[at + offset] === word) &&
          words[at + head.length]!.startsWith(query.prefix!)
        ) {
          score += 10
          break
        }
      }
    }
  }
  for (const phrase of query.phrases) if (containsPhrase(words, phrase)) score += 5
  return score
}

/**
 * Every mention the search and filters match, in the order asked for. With a loaded `mirror` the
 * states are read from memory (the caller re-runs the search when the mirror's version moves:
 * a live query does not see those reads).
 */
export async function searchHistory(
  db: EarshotDb,
  spec: HistorySpec,
  mirror?: StateMirror,
): Promise<HistoryResult> {
  const start = performance.now()
  const phases: Phases = {}
  const result = await runSearch(db, spec, phases, mirror?.ready ? mirror : undefined)
  // The history benchmark reads these entries, and their phases to say where the time went.
  performance.measure('earshot:search', {
    start,
    detail: { count: result.ids.length, phases },
  })
  return result
}

/** Milliseconds spent in each step of one search, for the benchmark's profile. */
type Phases = Record<string, number>

/** The states of `ids`, from memory when the mirror has loaded, else from IndexedDB. */
async function statesOf(
  db: EarshotDb,
  ids: readonly string[],
  mirror: StateMirror | undefined,
): Promise<(ResponderState | undefined)[]> {
  if (mirror) return ids.map((id) => mirror.get(id))
  const states: (ResponderState | undefined)[] = []
  for (let at = 0; at < ids.length; at += PAGE) {
    states.push(...(await db.states.bulkGet(ids.slice(at, at + PAGE))))
  }
  return states
}

/**
 * The rank text of each id, in order: from the word rows already read or read now (small rows),
 * and from the mention itself only for a row written before rows carried it. Undefined where the
 * mention is gone.
 */
async function rankTexts(
  db: EarshotDb,
  ids: readonly string[],
  known: ReadonlyMap<string, SearchDoc>,
): Promise<(RankText | undefined)[]> {
  const texts = new Array<RankText | undefined>(ids.length)
  const unread: number[] = []
  ids.forEach((id, index) => {
    const doc = known.get(id)
    if (doc) texts[index] = rankTextOfDoc(doc) ?? undefined
    if (!texts[index]) unread.push(index)
  })
  const old: number[] = []
  for (let at = 0; at < unread.length; at += PAGE) {
    const page = unread.slice(at, at + PAGE)
    const docs = await db.search.bulkGet(page.map((index) => ids[index]!))
    docs.forEach((doc, offset) => {
      const text = doc ? rankTextOfDoc(doc) : null
      if (text) texts[page[offset]!] = text
      else old.push(page[offset]!)
    })
  }
  for (let at = 0; at < old.length; at += PAGE) {
    const page = old.slice(at, at + PAGE)
    const mentions = await db.mentions.bulkGet(page.map((index) => ids[index]!))
    mentions.forEach((mention, offset) => {
      if (mention) texts[page[offset]!] = rankTextOf(mention)
    })
  }
  return texts
}

async function runSearch(
  db: EarshotDb,
  spec: HistorySpec,
  phases: Phases,
  mirror: StateMirror | undefined,
): Promise<HistoryResult> {
  const query = parseQuery(spec.query)
  let lap = performance.now()
  const step = (name: string) => {
    const now = performance.now()
    phases[name] = now - lap
    lap = now
  }
  return db.transaction('r', [db.search, db.states, db.mentions, db.meta], async () => {
    step('open')
    if (isEmptyQuery(query)) {
      // Nothing to rank by: newest first either way.
      return { ids: await filteredIds(db, spec.filters), ranked: true }
    }
    const candidates = await findCandidates(
      db,
      query,
      spec.sort === 'relevance' || query.phrases.length > 0,
    )
    step('words')
    const ids = [...candidates.ids]
    const states: ResponderState[] = []
    for (const state of await statesOf(db, ids, mirror)) {
      if (state && passes(state, spec.filters)) states.push(state)
    }
    step('states')
    const rank = spec.sort === 'relevance' && states.length <= RANK_LIMIT
    if (query.phrases.length === 0 && !rank) {
      states.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      return { ids: states.map((state) => state.id), ranked: spec.sort === 'time' }
    }
    const texts = await rankTexts(
      db,
      states.map((state) => state.id),
      candidates.docs,
    )
    step('read')
    const scored: { id: string; createdAt: number; score: number }[] = []
    states.forEach((state, index) => {
      const text = texts[index]
      if (!text) return
      if (!query.phrases.every((phrase) => containsPhrase(text.sequence, phrase))) return
      scored.push({
        id: state.id,
        createdAt: state.createdAt,
        score: rank ? scoreOf(text, query) : 0,
      })
    })
    scored.sort((a, b) => b.score - a.score || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
    step('rank')
    return {
      ids: scored.map((entry) => entry.id),
      ranked: spec.sort === 'time' || states.length <= RANK_LIMIT,
    }
  })
}

export type HistoryRow = { mention: Mention; state: ResponderState | undefined }

/** The rows at the given ids, in that order; ids whose mention is gone are skipped. */
export async function loadRows(db: EarshotDb, ids: readonly string[]): Promise<HistoryRow[]> {
  const [mentions, states] = await Promise.all([
    db.mentions.bulkGet([...ids]),
    db.states.bulkGet([...ids]),
  ])
  const rows: HistoryRow[] = []
  mentions.forEach((mention, index) => {
    if (mention) rows.push({ mention, state: states[index] })
  })
  return rows
}

export type AuthorPage = { ids: string[]; actions: ActionRow[] }

/** Everything one author said, across sources, newest first, and what the responder did about it. */
export async function loadAuthor(db: EarshotDb, authorId: string): Promise<AuthorPage> {
  const [states, actions] = await Promise.all([
    db.states
      .where('[authorId+createdAt]')
      .between([authorId, Dexie.minKey], [authorId, Dexie.maxKey])
      .reverse()
      .primaryKeys(),
    db.actions
      .where('[authorId+at]')
      .between([authorId, Dexie.minKey], [authorId, Dexie.maxKey])
      .reverse()
      .toArray(),
  ])
  return { ids: states, actions }
}

/** A thread is read no further than this many posts. */
const THREAD_LIMIT = 500

/**
 * The conversation a mention belongs to, oldest first: the posts sharing its thread id, its
 * ancestors by replyTo, and the replies to any of them.
 */
export async function loadThread(db: EarshotDb, mentionId: string): Promise<Mention[]> {
  // Delivered posts still in the inflow are in no index yet (inflow.ts): looked at in memory.
  const arrived = (test: (mention: Mention) => boolean): Mention[] => {
    const matched: Mention[] = []
    for (const { mention } of inflowOverlayOf(db).entries())
      if (test(mention)) matched.push(mention)
    return matched
  }
  const start = await db.mentions.get(mentionId)
  if (!start) return []
  const found = new Map<string, Mention>([[start.id, start]])
  const roots = new Set<string>([start.threadId ?? start.id])
  // Up the replyTo chain.
  let cursor: Mention | undefined = start
  while (cursor?.replyTo && !found.has(cursor.replyTo) && found.size < THREAD_LIMIT) {
    cursor = await db.mentions.get(cursor.replyTo)
    if (cursor) {
      found.set(cursor.id, cursor)
      roots.add(cursor.threadId ?? cursor.id)
    }
  }
  for (const root of roots) {
    const root_ = await db.mentions.get(root)
    if (root_) found.set(root_.id, root_)
    for (const mention of await db.mentions
      .where('threadId')
      .equals(root)
      .limit(THREAD_LIMIT)
      .toArray())
      found.set(mention.id, mention)
    for (const mention of arrived((m) => m.threadId === root)) found.set(mention.id, mention)
  }
  // Down: replies to anything found, breadth first.
  let frontier = [...found.keys()]
  while (frontier.length > 0 && found.size < THREAD_LIMIT) {
    const above = new Set(frontier)
    const replies = [
      ...(await db.mentions.where('replyTo').anyOf(frontier).limit(THREAD_LIMIT).toArray()),
      ...arrived((m) => m.replyTo !== undefined && above.has(m.replyTo)),
    ]
    frontier = []
    for (const reply of replies) {
      if (found.has(reply.id)) continue
      found.set(reply.id, reply)
      frontier.push(reply.id)
    }
  }
  return [...found.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
}
