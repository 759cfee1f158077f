import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getHeapSpaceStatistics } from 'node:v8'
import type { EventName, EventPayload } from '../src/shared/contract'
import { dispatchCall } from '../src/shared/contract'
import { createCore } from '../src/main/core'
import { silentLogger } from '../src/main/log'
import { sharedParsePool } from '../src/main/sources/parse-pool'
import { startFarm, writeFarmData } from './source-fixtures'

/* The measured main for main_rss_mb_100k: the core alone, in this process, hearing 100,000
   mentions from 200 loopback feeds; prints its resident memory as one JSON line. Bundled with the
   parse worker into out/bench by the benchmark, so it runs as the app's main does (no tsx). */

const SOURCES = 200
/** Items per feed; `EARSHOT_BENCH_ITEMS` makes a smaller run while iterating (the figure is 500). */
const ITEMS = Number(process.env['EARSHOT_BENCH_ITEMS'] ?? 500)
const TARGET = SOURCES * ITEMS

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10

/** Where the resident memory is, beyond process.memoryUsage() (MB; the kernel's split on Linux). */
export type MemoryWhere = {
  /** Anonymous memory: V8's heaps (main's and each worker's), malloc's arenas, Buffers. */
  anonMb: number | null
  /** File-backed: the node binary and its libraries, mapped in as they are used. */
  fileMb: number | null
  /** The main isolate's heap spaces: what V8 holds from the system, and what is in use. */
  newCommittedMb: number
  oldCommittedMb: number
  otherCommittedMb: number
  usedMb: number
}

function whereMemoryIs(): MemoryWhere {
  let status = ''
  try {
    status = readFileSync('/proc/self/status', 'utf8')
  } catch {
    // not Linux: the kernel's split is unknown
  }
  const kb = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)
    return match?.[1] ? mb(Number(match[1]) * 1024) : null
  }
  const where = { anonMb: kb('RssAnon'), fileMb: kb('RssFile') }
  let [newCommitted, oldCommitted, otherCommitted, used] = [0, 0, 0, 0]
  for (const space of getHeapSpaceStatistics()) {
    used += space.space_used_size
    if (space.space_name === 'new_space') newCommitted += space.physical_space_size
    else if (space.space_name === 'old_space') oldCommitted += space.physical_space_size
    else otherCommitted += space.physical_space_size
  }
  return {
    ...where,
    newCommittedMb: mb(newCommitted),
    oldCommittedMb: mb(oldCommitted),
    otherCommittedMb: mb(otherCommitted),
    usedMb: mb(used),
  }
}

async function main(): Promise<void> {
  globalThis.gc?.()
  const baseline = process.memoryUsage().rss
  const before = whereMemoryIs()
  const farm = await startFarm(ITEMS, process.argv[2])
  const dataDir = await mkdtemp(join(tmpdir(), 'earshot-bench-memory-'))
  const data = { path: dataDir, remove: () => rm(dataDir, { recursive: true, force: true }) }
  try {
    // Due 5 s after now: a slow start on a loaded machine must not find them overdue, which would
    // spread their first polls over 1,000 s (the start-up stagger) instead of one cycle.
    await writeFarmData(data.path, farm.origin, SOURCES, 5_000)
    let seen = 0
    let done: () => void = () => undefined
    const finished = new Promise<void>((resolve) => (done = resolve))
    const acks: Promise<unknown>[] = []
    const core = createCore({
      host: 'web',
      version: 'bench',
      dataDir: data.path,
      logger: silentLogger,
      emit: <E extends EventName>(name: E, payload: EventPayload<E>) => {
        if (name !== 'mentions:batch') return
        const batch = payload as { seq: number; mentions: unknown[] }
        seen += batch.mentions.length
        // The page stores each batch, then acks it.
        acks.push(dispatchCall(core.handlers, 'delivery:ack', { seq: batch.seq }))
        if (seen >= TARGET) done()
      },
      notify: () => undefined,
      openExternal: () => Promise.resolve(),
      setUnhandled: () => undefined,
    })
    await core.start()
    await finished
    await Promise.all(acks)
    globalThis.gc?.()
    const memory = process.memoryUsage()
    // The same, once V8's background sweeping has had a moment to hand freed pages back.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    globalThis.gc?.()
    const settled = process.memoryUsage()
    const settledWhere = whereMemoryIs()
    const workers = sharedParsePool().workers()
    // At rest, as the app sits between poll cycles: the idle parse worker has exited (after
    // DEFAULT_PARSE_IDLE_MS) and V8 has had quiet time. Reported beside the figure, not as it.
    const restStart = Date.now()
    while (sharedParsePool().workers() > 0 && Date.now() - restStart < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000))
    globalThis.gc?.()
    const rest = { rssMb: mb(process.memoryUsage().rss), afterS: (Date.now() - restStart) / 1000 }
    await core.stop()
    // What the parse workers hold: the same process with them ended.
    await sharedParsePool().close()
    globalThis.gc?.()
    const withoutWorkers = process.memoryUsage().rss
    const withoutWorkersWhere = whereMemoryIs()
    console.log(
      JSON.stringify({
        rssMb: mb(memory.rss),
        heapMb: mb(memory.heapUsed),
        heapTotalMb: mb(memory.heapTotal),
        settledRssMb: mb(settled.rss),
        settledHeapTotalMb: mb(settled.heapTotal),
        workers,
        externalMb: mb(memory.external),
        arrayBuffersMb: mb(memory.arrayBuffers),
        mentions: seen,
        baselineMb: mb(baseline),
        withoutWorkersMb: mb(withoutWorkers),
        rest,
        where: { before, settled: settledWhere, withoutWorkers: withoutWorkersWhere },
      }),
    )
  } finally {
    await data.remove()
    await farm.stop()
  }
  process.exit(0)
}

main().catch((cause: unknown) => {
  console.error(cause)
  process.exit(1)
})
