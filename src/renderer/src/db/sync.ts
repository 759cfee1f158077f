import type { EarshotClient } from '../../../shared/contract'
import type { Batch, Mention } from '../../../shared/domain'
import { describeError } from '../../../shared/result'
import type { ConnectionState, ConnectionWatch } from '../host/connection'
import { adoptJournal, readLastSeq, type EarshotDb } from './database'
import { onSpread, receiveBatches, startSpreader } from './inflow'
import { isQuotaError } from './storage-errors'

export type SyncStatus =
  { kind: 'ok' } | { kind: 'storage-full' } | { kind: 'error'; message: string }

export type SyncOptions = {
  /** Catch up again whenever the link comes back after a drop. */
  connection?: ConnectionWatch
  onStatus?: (status: SyncStatus) => void
  /** While storage is full, try again this often (main keeps the batches meanwhile). */
  retryFullAfterMs?: number
  /**
   * Runs after each inflow row is spread into the tables (e.g. "answered elsewhere", which reads
   * the thread indexes). Its failure never holds delivery back: the mentions are stored, and the
   * step is a refinement.
   */
  afterStore?: (mentions: readonly Mention[]) => Promise<unknown>
}

export type Sync = {
  stop: () => void
  /** Clears a storage-full pause and catches up. */
  retry: () => Promise<void>
  /** Resolves once every queued step has run and what it stored is spread; for tests and shutdown. */
  idle: () => Promise<void>
}

/** Thrown inside a step to stop the rest of it; already reported. */
class Halt extends Error {}

/**
 * Keeps Dexie in step with main's journal: catches up from lastSeq, then stores each pushed batch
 * in order, acking each only after it is stored (in the inflow, inflow.ts). One step runs at a
 * time; the spread into the tables waits for a pause between steps.
 */
export function startSync(db: EarshotDb, client: EarshotClient, options: SyncOptions = {}): Sync {
  let lastSeq: number | null = null
  let paused = false
  let stopped = false
  let status: SyncStatus = { kind: 'ok' }
  let chain: Promise<void> = Promise.resolve()
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  const report = (next: SyncStatus): void => {
    if (next.kind === status.kind && JSON.stringify(next) === JSON.stringify(status)) return
    status = next
    options.onStatus?.(next)
  }

  // A failed spread is reported like a failed ingest; the next one that succeeds clears it.
  let spreadFailed = false
  const spreader = startSpreader(db, {
    onError: (cause) => {
      spreadFailed = true
      fail(cause)
    },
    onSpread: () => {
      if (!spreadFailed) return
      spreadFailed = false
      report({ kind: 'ok' })
    },
  })
  const removeHook = options.afterStore ? onSpread(db, options.afterStore) : () => undefined

  const enqueue = (step: () => Promise<void>): Promise<void> => {
    chain = chain
      .then(async () => {
        if (stopped || paused) return
        // Receiving and spreading share the inflow table: spreading waits for the step's end.
        const release = spreader.hold()
        try {
          await step()
        } finally {
          release()
        }
      })
      .catch((cause: unknown) => {
        if (!(cause instanceof Halt)) fail(cause)
      })
    return chain
  }

  const fail = (cause: unknown): void => {
    if (isQuotaError(cause)) {
      paused = true
      report({ kind: 'storage-full' })
      clearTimeout(retryTimer)
      retryTimer = setTimeout(() => void sync.retry(), options.retryFullAfterMs ?? 60_000)
      return
    }
    report({ kind: 'error', message: `Could not store new mentions: ${describeError(cause)}` })
  }

  const known = async (): Promise<number> => (lastSeq ??= await readLastSeq(db))

  const store = async (batch: Batch): Promise<void> => {
    if (batch.seq > (await known())) {
      lastSeq = (await receiveBatches(db, [batch])).lastSeq
      report({ kind: 'ok' })
    }
    // A batch already stored is acked again: main may have missed the first ack.
    await client.call('delivery:ack', { seq: batch.seq })
  }

  /** Pages through what main still holds, one transaction and one ack per page. */
  const catchUp = async (): Promise<void> => {
    for (;;) {
      const result = await timedPending(client, await known())
      // A dropped link is shown by the connection banner and retried on reconnect.
      if (!result.ok) {
        if (result.error.code !== 'network')
          report({ kind: 'error', message: result.error.message })
        throw new Halt()
      }
      if (stopped || paused) throw new Halt()
      const { journal, more } = result.value
      const before = await known()
      lastSeq = await adoptJournal(db, journal)
      // Main now keeps another journal: ask again from its start.
      if (lastSeq !== before) continue
      const batches = result.value.batches.filter((batch) => batch.seq > before)
      const top = batches.at(-1)
      if (top) {
        lastSeq = (await receiveBatches(db, batches)).lastSeq
        report({ kind: 'ok' })
        await client.call('delivery:ack', { seq: top.seq })
      }
      if (!more) return
    }
  }

  const onBatch = async (batch: Batch): Promise<void> => {
    if (batch.seq > (await known()) + 1) {
      await catchUp()
      // The catch-up normally includes this batch; store it only if it did not.
      if (batch.seq > (await known())) await store(batch)
      return
    }
    await store(batch)
  }

  const unsubscribeBatches = client.on(
    'mentions:batch',
    (batch) => void enqueue(() => onBatch(batch)),
  )

  let sawDrop = false
  const unsubscribeConnection = options.connection?.subscribe((state: ConnectionState) => {
    if (state !== 'connected') sawDrop = true
    else if (sawDrop) {
      sawDrop = false
      void enqueue(catchUp)
    }
  })

  // The start-up's first step in the page (startSync runs as the page's script starts), for the
  // queue benchmark's start-up marks.
  performance.mark?.('earshot:sync-start')
  void enqueue(catchUp)

  const sync: Sync = {
    stop() {
      stopped = true
      spreader.stop()
      removeHook()
      clearTimeout(retryTimer)
      unsubscribeBatches()
      unsubscribeConnection?.()
    },
    retry() {
      clearTimeout(retryTimer)
      paused = false
      spreader.wake()
      return enqueue(catchUp)
    },
    idle: async () => {
      await chain
      await spreader.idle()
    },
  }
  return sync
}

/**
 * Asks main for the next catch-up page, recording how long the answer took to arrive and be
 * parsed (`earshot:pending`, with the page's mention count), so the ingest benchmark can tell the
 * delivery apart from the IndexedDB transaction (`earshot:ingest`).
 */
async function timedPending(client: EarshotClient, afterSeq: number) {
  const start = performance.now()
  const result = await client.call('delivery:pending', { afterSeq })
  const count = result.ok ? result.value.batches.reduce((n, b) => n + b.mentions.length, 0) : 0
  performance.measure('earshot:pending', { start, detail: { count } })
  return result
}
