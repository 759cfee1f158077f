import type { CallName, CallOutput, EarshotClient, EventName } from '../../../src/shared/contract'
import type { Batch, Mention } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/result'
import { openDatabase, type EarshotDb } from '../../../src/renderer/src/db/database'
import { versions } from '../../../src/renderer/src/db/versions'

let dbCounter = 0

/** A fresh, empty database per test; fake-indexeddb keeps them in memory. */
export function freshDb(): EarshotDb {
  dbCounter += 1
  return openDatabase(`earshot-test-${dbCounter}-${Math.random().toString(36).slice(2)}`)
}

export function mention(n: number, overrides: Partial<Mention> = {}): Mention {
  return {
    id: `demo:${n}`,
    sourceId: 'demo',
    platform: 'demo',
    url: `https://example.com/posts/${n}`,
    author: { id: `demo:author-${n % 7}`, name: `Author ${n % 7}`, handle: `@a${n % 7}` },
    text: `Mention number ${n}`,
    createdAt: 1_700_000_000_000 + n * 1000,
    fetchedAt: 1_700_000_000_000 + n * 1000,
    triage: {
      sentiment: { score: -2, comparative: -0.4, label: 'negative', words: ['-broken'] },
      directed: n % 2 === 0,
      urgency: (n * 13) % 101,
      reasons: [{ code: 'negative', label: 'negative', points: 20 }],
      matched: ['Acme'],
    },
    ...overrides,
  }
}

/**
 * `count` mentions a minute apart for the upgrade tests: every third overheard, urgency spread
 * over 0-100 so Urgent holds directed and overheard ones alike.
 */
export function spreadMentions(count: number): Mention[] {
  return Array.from({ length: count }, (_, n) =>
    mention(n, {
      createdAt: 1_000_000 + n * 60_000,
      triage: { ...mention(n).triage, urgency: (n * 37) % 101, directed: n % 3 !== 0 },
    }),
  )
}

/** A database named `name` as an Earshot at schema `version` left it, holding `rows` per table. */
export async function leftAtVersion(
  name: string,
  version: number,
  rows: Record<string, readonly unknown[]>,
): Promise<void> {
  const old = openDatabase(name, { versions: versions.slice(0, version) })
  await old.open()
  for (const [table, values] of Object.entries(rows)) await old.table(table).bulkPut([...values])
  old.close()
}

export function batch(seq: number, ns: number[]): Batch {
  return { seq, sourceId: 'demo', mentions: ns.map((n) => mention(n)) }
}

type Handler = (input: never) => Result<unknown> | Promise<Result<unknown>>

/** A contract client whose calls are answered by the test and whose events the test emits. */
export function fakeClient(handlers: Partial<Record<CallName, Handler>> = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const calls: { name: CallName; input: unknown }[] = []
  const client: EarshotClient = {
    async call(name, input) {
      calls.push({ name, input })
      const handler = handlers[name]
      if (!handler) return { ok: true, value: {} as CallOutput<typeof name> }
      return (await handler(input as never)) as Result<CallOutput<typeof name>>
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => void set.delete(listener as (payload: unknown) => void)
    },
  }
  const emit = (event: EventName, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }
  return { client, calls, emit, handlers }
}
