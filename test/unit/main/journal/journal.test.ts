import { mkdtemp, open, readFile, readdir, rm, writeFile, appendFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Batch, Mention } from '../../../../src/shared/domain'
import { openJournal, type Journal } from '../../../../src/main/journal/journal'
import { silentLogger } from '../../../../src/main/log'

let dir: string
const paths = () => ({
  journalPath: join(dir, 'journal.jsonl'),
  statePath: join(dir, 'delivery.json'),
  logger: silentLogger,
})

const mention = (n: number): Mention => ({
  id: `rss:https://blog.example/feed#${n}`,
  sourceId: 'blog',
  platform: 'rss',
  url: `https://blog.example/${n}`,
  author: { id: 'rss:blog#ana', name: 'Ana' },
  text: `post ${n}`,
  createdAt: 1_700_000_000_000 + n,
  fetchedAt: 1_700_000_000_000 + n,
  triage: {
    sentiment: { score: 0, comparative: 0, label: 'neutral', words: [] },
    directed: false,
    urgency: 10,
    reasons: [],
    matched: [],
  },
})

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-journal-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('journal', () => {
  it('keeps appended batches and the cursor across a crash (no close)', async () => {
    const journal = await openJournal(paths())
    await journal.append('blog', { seen: ['1'] }, [mention(1)])
    await journal.append('blog', { seen: ['1', '2'] }, [mention(2)])
    // crash: the instance is abandoned without close()
    const reopened = await openJournal(paths())
    expect((await reopened.pending(0)).batches.map((b) => b.seq)).toEqual([1, 2])
    expect(reopened.cursor('blog')).toEqual({ seen: ['1', '2'] })
    await reopened.close()
  })

  it('writes batches appended together in one fsync, in order, each on disk when it resolves', async () => {
    const probe = await open(join(dir, 'probe'), 'w')
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync: () => Promise<void> }, 'sync')
    await probe.close()
    try {
      const journal = await openJournal(paths())
      sync.mockClear()
      const sources = Array.from({ length: 20 }, (_, n) => `feed-${n}`)
      const batches = await Promise.all(
        sources.map((id, n) => journal.append(id, { n }, [mention(n)])),
      )
      expect(batches.map((b) => b.seq)).toEqual(sources.map((_, n) => n + 1))
      expect(sync.mock.calls.length).toBeLessThanOrEqual(2)
      // A cursor move queued after a group is written after it.
      const moved = journal.saveCursor('feed-0', { n: 99 })
      const late = journal.append('feed-1', { n: 100 }, [mention(100)])
      await Promise.all([moved, late])
      const reopened = await openJournal(paths())
      expect((await reopened.pending(0)).batches.map((b) => b.sourceId)).toEqual([
        ...sources,
        'feed-1',
      ])
      expect(reopened.cursor('feed-0')).toEqual({ n: 99 })
      expect(reopened.cursor('feed-1')).toEqual({ n: 100 })
      await reopened.close()
    } finally {
      sync.mockRestore()
    }
  })

  it('lets the batches of polls running together share one fsync, and never holds a lone one', async () => {
    const probe = await open(join(dir, 'probe'), 'w')
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync: () => Promise<void> }, 'sync')
    await probe.close()
    let running = 1
    try {
      const journal = await openJournal({ ...paths(), writers: () => running, lingerMs: 600 })
      sync.mockClear()
      // One poll running: its batch is written at once, not after the linger.
      const lone = performance.now()
      await journal.append('feed-0', { n: 0 }, [mention(0)])
      expect(performance.now() - lone).toBeLessThan(400)
      expect(sync).toHaveBeenCalledTimes(1)
      // Three polls running, finishing 20 ms apart: one write once the third has joined.
      running = 3
      const pause = () => new Promise((resolve) => setTimeout(resolve, 20))
      const started = performance.now()
      const first = journal.append('feed-1', { n: 1 }, [mention(1)])
      await pause()
      const second = journal.append('feed-2', { n: 2 }, [mention(2)])
      await pause()
      const third = journal.append('feed-3', { n: 3 }, [mention(3)])
      const batches = await Promise.all([first, second, third])
      expect(performance.now() - started).toBeLessThan(400)
      expect(batches.map((b) => b.seq)).toEqual([2, 3, 4])
      expect(sync).toHaveBeenCalledTimes(2)
      // A poll that ends without a batch: the others' group is written once the linger is over.
      const waited = performance.now()
      await Promise.all([journal.append('feed-4', { n: 4 }, [mention(4)])])
      expect(performance.now() - waited).toBeGreaterThanOrEqual(550)
      expect(sync).toHaveBeenCalledTimes(3)
      await journal.close()
      const reopened = await openJournal(paths())
      expect((await reopened.pending(0)).batches.map((b) => b.sourceId)).toEqual([
        'feed-0',
        'feed-1',
        'feed-2',
        'feed-3',
        'feed-4',
      ])
      await reopened.close()
    } finally {
      sync.mockRestore()
    }
  })

  it('discards a torn last line and keeps every whole record', async () => {
    const journal = await openJournal(paths())
    await journal.append('blog', { n: 1 }, [mention(1)])
    await appendFile(paths().journalPath, '{"seq":2,"sourceId":"blog","cursor":{"n":2},"menti')
    const reopened = await openJournal(paths())
    expect((await reopened.pending(0)).batches.map((b) => b.seq)).toEqual([1])
    // the cursor never moved past the torn batch, so the source re-fetches it
    expect(reopened.cursor('blog')).toEqual({ n: 1 })
    expect(reopened.problems).toEqual([])
    const next = await reopened.append('blog', { n: 2 }, [mention(2)])
    expect(next.seq).toBe(2)
    await reopened.close()
    const text = await readFile(paths().journalPath, 'utf8')
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as Batch).seq),
    ).toEqual([1, 2])
  })

  it('compacts acked batches, keeps cursors, and never reuses a sequence number', async () => {
    const journal = await openJournal({ ...paths(), compactEvery: 2 })
    await journal.append('blog', { n: 1 }, [mention(1)])
    await journal.append('news', { n: 9 }, [mention(9)])
    await journal.append('blog', { n: 3 }, [mention(3)])
    await journal.ack(2)
    expect((await journal.pending(0)).batches.map((b) => b.seq)).toEqual([3])
    const lines = (await readFile(paths().journalPath, 'utf8')).trim().split('\n')
    expect(lines).toHaveLength(1)
    await journal.close()
    const reopened = await openJournal(paths())
    expect(reopened.cursor('news')).toEqual({ n: 9 })
    expect((await reopened.append('blog', { n: 4 }, [mention(4)])).seq).toBe(4)
    await reopened.close()
  })

  it('asking for batches after a sequence returns only later ones', async () => {
    const journal = await openJournal(paths())
    for (let n = 1; n <= 5; n += 1) await journal.append('blog', { n }, [mention(n)])
    expect((await journal.pending(3)).batches.map((b) => b.seq)).toEqual([4, 5])
    // a page holds at least one batch, and at most about the mentions asked for
    expect(await journal.pending(0, 2)).toMatchObject({
      batches: [{ seq: 1 }, { seq: 2 }],
      more: true,
    })
    expect(await journal.pending(0, 0)).toMatchObject({ batches: [{ seq: 1 }], more: true })
    expect(await journal.pending(4, 2)).toMatchObject({ batches: [{ seq: 5 }], more: false })
    await journal.close()
  })

  it('reads unacked batches back from disk whole, whatever their characters, around cursor moves and a compaction', async () => {
    const worded = (n: number, text: string): Mention => ({ ...mention(n), text })
    const texts = ['café crème', 'naïve 👍🏽 résumé', 'plain', '東京 の ラーメン', 'ß'.repeat(300)]
    const journal = await openJournal({ ...paths(), compactEvery: 2 })
    for (const [n, text] of texts.entries()) {
      await journal.append('blog', { n }, [worded(n, text)])
      await journal.saveCursor('news', { etag: `"é${n}"` })
    }
    const read = async (j: Journal, after: number) =>
      (await j.pending(after)).batches.flatMap((b) => b.mentions.map((m) => m.text))
    expect(await read(journal, 0)).toEqual(texts)
    // Acking two compacts the file: the rest are read back from their new places.
    await journal.ack(2)
    expect(await read(journal, 2)).toEqual(texts.slice(2))
    const late = await journal.append('blog', { n: 9 }, [worded(9, 'après la compaction ✓')])
    expect((await journal.pending(late.seq - 1)).batches).toEqual([late])
    await journal.close()
    const reopened = await openJournal(paths())
    expect(await read(reopened, 2)).toEqual([...texts.slice(2), 'après la compaction ✓'])
    expect(reopened.cursor('news')).toEqual({ etag: '"é4"' })
    await reopened.close()
  })

  it('keeps its name across restarts, and a new folder gets a new one', async () => {
    const journal = await openJournal(paths())
    await journal.close()
    const reopened = await openJournal(paths())
    expect(reopened.id).toBe(journal.id)
    await reopened.close()
    const other = await mkdtemp(join(tmpdir(), 'earshot-journal-other-'))
    const fresh = await openJournal({
      ...paths(),
      journalPath: join(other, 'j.jsonl'),
      statePath: join(other, 'd.json'),
    })
    expect(fresh.id).not.toBe(journal.id)
    await fresh.close()
    await rm(other, { recursive: true, force: true })
  })

  it('records a cursor-only move without creating a batch', async () => {
    const journal = await openJournal(paths())
    await journal.saveCursor('blog', { etag: '"v2"' })
    const reopened = await openJournal(paths())
    expect(reopened.cursor('blog')).toEqual({ etag: '"v2"' })
    expect(await reopened.pending(0)).toEqual({ batches: [], more: false })
    await reopened.close()
  })

  it('keeps a corrupt state file aside and still replays the journal', async () => {
    const journal = await openJournal(paths())
    await journal.append('blog', { n: 1 }, [mention(1)])
    await writeFile(paths().statePath, '{ "ackedThrough": ')
    const reopened = await openJournal(paths())
    expect((await reopened.pending(0)).batches.map((b) => b.seq)).toEqual([1])
    expect(reopened.problems[0]).toMatch(
      /delivery\.json could not be read.*kept as delivery\.json\.corrupt-/,
    )
    expect((await readdir(dir)).some((f) => f.startsWith('delivery.json.corrupt-'))).toBe(true)
    await reopened.close()
  })
})

/*
 * The crash matrix: a source serves items one poll at a time; the process dies at each point of
 * the pipeline; after a restart the renderer catches up. Every item up to the saved cursor must be
 * stored exactly once, and the journal must drain.
 */
describe('delivery across a crash', () => {
  const points = [
    'before-fetch',
    'after-fetch',
    'after-journal',
    'after-send',
    'after-store',
    'after-ack',
  ] as const

  for (const point of points) {
    it(`loses nothing when the process dies ${point}`, async () => {
      const stored = new Map<string, number>() // id -> times written (renderer, idempotent put)
      let lastSeq = 0
      const store = (batch: Batch) => {
        for (const m of batch.mentions) stored.set(m.id, (stored.get(m.id) ?? 0) + 1)
        lastSeq = Math.max(lastSeq, batch.seq)
      }
      const served = (cursor: number) => [mention(cursor + 1)]

      const poll = async (journal: Journal, crashAt?: (typeof points)[number]) => {
        if (crashAt === 'before-fetch') return 'crashed'
        const cursor = (journal.cursor('blog')?.['n'] as number | undefined) ?? 0
        const items = served(cursor)
        if (crashAt === 'after-fetch') return 'crashed'
        const batch = await journal.append('blog', { n: cursor + 1 }, items)
        if (crashAt === 'after-journal') return 'crashed'
        // "send": the event is in flight
        if (crashAt === 'after-send') return 'crashed'
        store(batch)
        if (crashAt === 'after-store') return 'crashed'
        await journal.ack(batch.seq)
        return 'ok'
      }

      const first = await openJournal(paths())
      await poll(first)
      await poll(first, point)
      // restart: the renderer asks for everything after what it stored, then polling resumes
      const second = await openJournal(paths())
      if (lastSeq > 0) await second.ack(lastSeq)
      for (const batch of (await second.pending(lastSeq)).batches) {
        store(batch)
        await second.ack(batch.seq)
      }
      await poll(second)
      await second.close()

      const cursor = (await openJournal(paths())).cursor('blog')?.['n'] as number
      for (let n = 1; n <= cursor; n += 1) expect(stored.has(mention(n).id)).toBe(true)
      expect([...stored.keys()]).toHaveLength(cursor)
      expect(await readFile(paths().journalPath, 'utf8')).toBe('')
    })
  }
})
