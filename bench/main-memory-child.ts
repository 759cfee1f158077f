import type { EventName, EventPayload } from '../src/shared/contract'
import { dispatchCall } from '../src/shared/contract'
import { createCore } from '../src/main/core'
import { silentLogger } from '../src/main/log'
import { sharedParsePool } from '../src/main/sources/parse-pool'
import { tempDir } from '../test/e2e/harness'
import { startFarm, writeFarmData } from './source-fixtures'

/* The measured main for main_rss_mb_100k: the core alone, in this process, hearing 100,000
   mentions from 200 loopback feeds; prints its resident memory as one JSON line. */

const SOURCES = 200
const ITEMS = 500
const TARGET = SOURCES * ITEMS

async function main(): Promise<void> {
  globalThis.gc?.()
  const baseline = process.memoryUsage().rss
  const farm = await startFarm(ITEMS)
  const data = await tempDir('earshot-bench-memory-')
  try {
    await writeFarmData(data.path, farm.origin, SOURCES, 1_000)
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
    await core.stop()
    // What the parse workers hold: the same process with them ended.
    await sharedParsePool().close()
    globalThis.gc?.()
    const withoutWorkers = process.memoryUsage().rss
    const mb = (bytes: number) => bytes / (1024 * 1024)
    console.log(
      JSON.stringify({
        rssMb: mb(memory.rss),
        heapMb: mb(memory.heapUsed),
        mentions: seen,
        baselineMb: mb(baseline),
        withoutWorkersMb: mb(withoutWorkers),
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
