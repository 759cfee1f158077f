/* Untrusted payloads are parsed off the main thread: a small pool of worker threads (which run
   under Electron's main process and plain Node alike) with a watchdog. A parse that runs longer
   than its budget, or grows past its memory limit, gets its worker terminated and replaced, and
   the poll fails as a parse error in plain words while the poller carries on. */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../log'
import { silentLogger } from '../log'
import type { SourceErrorKind } from './connector'
import { SourceError } from './connector'
import type { ParseTaskName, ParseTasks } from './parse-tasks'

export const DEFAULT_PARSE_TIMEOUT_MS = 10_000
export const DEFAULT_PARSE_MEMORY_MB = 128
export const DEFAULT_PARSE_WORKERS = 2
/**
 * A reader idle this long exits: each holds its own heap (~10 MB), and starting one again costs
 * a few tens of milliseconds, nothing next to a poll interval of minutes.
 */
export const DEFAULT_PARSE_IDLE_MS = 30_000
/**
 * A second reader starts only once the parse a busy one is on has run this long while others wait:
 * most parses take milliseconds, so one reader keeps up, and the second exists for the slow or
 * hostile answer that would otherwise hold every other source up to the watchdog. A queue of quick
 * parses (a cycle's feeds arriving together) is no reason: a cold reader costs more than it saves,
 * and holds its own heap (40-50 MB after large feeds). Three seconds, not one: on a busy machine an
 * ordinary 500-item feed can take over a second of wall time, and is still no reason for a second.
 */
export const DEFAULT_PARSE_SPARE_AFTER_MS = 3_000
/** JSON answers smaller than this are parsed in place: a worker round trip would cost more. */
export const OFF_THREAD_JSON_BYTES = 256 * 1024

export type ParsePoolOptions = {
  size?: number
  /** How long one parse may run once a worker has it. */
  timeoutMs?: number
  /** The heap a worker may grow to (V8 old generation), in MB. */
  maxMemoryMb?: number
  /** How long an idle reader lives before it exits. */
  idleMs?: number
  /** How long a parse waits behind busy readers before another one starts. */
  spareAfterMs?: number
  logger?: Logger
}

type Output<N extends ParseTaskName> = ReturnType<ParseTasks[N]>

export type ParsePool = {
  run<N extends ParseTaskName>(task: N, ...args: Parameters<ParseTasks[N]>): Promise<Output<N>>
  /** Starts a worker ahead of the first parse, so the first answer is not kept waiting. */
  warm(): void
  /** How many readers are running now (idle ones exit; a second one starts only when needed). */
  workers(): number
  /** Terminates every worker; pending parses fail. The pool can be used again afterwards. */
  close(): Promise<void>
}

type Job = {
  id: number
  task: ParseTaskName
  args: unknown[]
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

type Slot = {
  worker: Worker
  ready: boolean
  job: Job | null
  /** When the current job started (performance.now()). */
  since: number
  timer: NodeJS.Timeout | null
  idle: NodeJS.Timeout | null
}

type Answer =
  | { ready: true }
  | { id: number; ok: true; value: unknown }
  | {
      id: number
      ok: false
      error: { kind: SourceErrorKind; message: string; details: SourceError['details'] }
    }

const here = dirname(fileURLToPath(import.meta.url))

/**
 * The worker's built file next to the bundle (out/main/parse-worker.js, emitted as its own input
 * by electron.vite.config.ts), or, in the source tree (tests, tsx), the TypeScript entry loaded
 * through tsx.
 */
function spawnWorker(
  resourceLimits: NonNullable<ConstructorParameters<typeof Worker>[1]>['resourceLimits'],
): Worker {
  const built = [join(here, 'parse-worker.js'), join(here, '..', 'parse-worker.js')].find((p) =>
    existsSync(p),
  )
  if (built) return new Worker(built, { resourceLimits })
  const entry = pathToFileURL(join(here, 'parse-worker.ts')).href
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json')
  const tsx = pathToFileURL(join(dirname(tsxPackage), 'dist', 'esm', 'api', 'index.mjs')).href
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(boot, { eval: true, resourceLimits })
}

/**
 * The byte buffers among a job's arguments (a `Uint8Array`, or one in a `bytes` field) that can move
 * to the worker instead of being copied: only a view over a whole, unshared buffer, since moving it
 * empties every other view on it (a pooled Node Buffer shares its memory with others).
 */
export function transferables(args: readonly unknown[]): ArrayBuffer[] {
  const found: ArrayBuffer[] = []
  for (const arg of args) {
    const view =
      arg instanceof Uint8Array
        ? arg
        : typeof arg === 'object' && arg !== null && 'bytes' in arg
          ? arg.bytes
          : null
    if (!(view instanceof Uint8Array) || !(view.buffer instanceof ArrayBuffer)) continue
    if (view.byteOffset !== 0 || view.byteLength !== view.buffer.byteLength) continue
    if (!found.includes(view.buffer)) found.push(view.buffer)
  }
  return found
}

/** "10 seconds", "1 second", "250 ms". */
const budgetWords = (ms: number): string =>
  ms < 1000 ? `${ms} ms` : ms < 1500 ? '1 second' : `${Math.round(ms / 1000)} seconds`

export function createParsePool(options: ParsePoolOptions = {}): ParsePool {
  const size = Math.max(1, options.size ?? DEFAULT_PARSE_WORKERS)
  const timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS
  const memoryMb = options.maxMemoryMb ?? DEFAULT_PARSE_MEMORY_MB
  const logger = options.logger ?? silentLogger
  const idleMs = options.idleMs ?? DEFAULT_PARSE_IDLE_MS
  const spareAfterMs = options.spareAfterMs ?? DEFAULT_PARSE_SPARE_AFTER_MS
  const limits = { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 4, stackSizeMb: 4 }
  const slots: Slot[] = []
  const waiting: Job[] = []
  let nextId = 1
  let spare: NodeJS.Timeout | null = null

  const release = (slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = null
    slot.job = null
    // An idle worker must not keep a one-shot process (the CLI) alive.
    slot.worker.unref()
    if (slot.idle) clearTimeout(slot.idle)
    slot.idle = setTimeout(() => retire(slot), idleMs)
    slot.idle.unref()
  }

  /** Ends a reader that has had nothing to do for `idleMs`; the next parse starts a fresh one. */
  const retire = (slot: Slot) => {
    slot.idle = null
    if (slot.job || !slots.includes(slot)) return
    slots.splice(slots.indexOf(slot), 1)
    slot.worker.removeAllListeners()
    slot.worker.on('error', () => undefined)
    void slot.worker.terminate()
  }

  /** Ends a worker that misbehaved; its job fails with `words`, and a fresh worker takes over. */
  const replace = (slot: Slot, words: string) => {
    const job = slot.job
    release(slot)
    if (slot.idle) clearTimeout(slot.idle)
    slot.idle = null
    const at = slots.indexOf(slot)
    if (at !== -1) slots.splice(at, 1)
    slot.worker.removeAllListeners()
    slot.worker.on('error', () => undefined)
    void slot.worker.terminate()
    job?.reject(new SourceError('parse', words))
    dispatch()
  }

  const start = (): Slot => {
    const worker = spawnWorker(limits)
    const slot: Slot = { worker, ready: false, job: null, since: 0, timer: null, idle: null }
    worker.on('message', (answer: Answer) => {
      if ('ready' in answer) {
        slot.ready = true
        if (!slot.job) worker.unref()
        dispatch()
        return
      }
      const job = slot.job
      if (!job || job.id !== answer.id) return
      release(slot)
      if (answer.ok) job.resolve(answer.value)
      else
        job.reject(new SourceError(answer.error.kind, answer.error.message, answer.error.details))
      dispatch()
    })
    worker.on('error', (cause: Error & { code?: string }) => {
      const memory = cause.code === 'ERR_WORKER_OUT_OF_MEMORY'
      logger.warn('parse worker failed', { code: cause.code ?? 'unknown' })
      if (!slot.ready) {
        // A reader that cannot even start would fail again at once: fail what waits instead.
        for (const job of waiting.splice(0)) {
          job.reject(new SourceError('parse', 'Earshot could not start its reader for this answer'))
        }
      }
      replace(
        slot,
        memory
          ? 'The answer needed more memory to read than Earshot allows, so it was refused'
          : 'The answer could not be read (the reader stopped unexpectedly)',
      )
    })
    worker.on('exit', () => {
      if (slots.includes(slot)) replace(slot, 'The answer could not be read (the reader stopped)')
    })
    slots.push(slot)
    return slot
  }

  const dispatch = () => {
    while (waiting.length > 0) {
      const slot = slots.find((s) => s.ready && !s.job)
      if (!slot) {
        grow()
        return
      }
      const job = waiting.shift()
      if (!job) return
      if (slot.idle) clearTimeout(slot.idle)
      slot.idle = null
      slot.job = job
      slot.since = performance.now()
      slot.worker.ref()
      const running = slot
      running.timer = setTimeout(() => {
        logger.warn('parse took too long; reader replaced', { task: job.task, timeoutMs })
        replace(
          running,
          `The answer took longer than ${budgetWords(timeoutMs)} to read, so it was refused`,
        )
      }, timeoutMs)
      const message = { id: job.id, task: job.task, args: job.args }
      try {
        running.worker.postMessage(message, transferables(job.args))
      } catch {
        // A buffer that cannot move (marked untransferable) is copied instead.
        running.worker.postMessage(message)
      }
    }
  }

  /**
   * Another worker for what waits: at once when there is none; otherwise once a busy one has spent
   * `spareAfterMs` on its current parse while others wait. Never while one is on its way up.
   */
  function grow(): void {
    if (slots.length >= size || !slots.every((s) => s.ready)) return
    if (slots.length === 0) {
      start()
      return
    }
    if (!spare) armSpare(spareAfterMs)
  }

  function armSpare(ms: number): void {
    spare = setTimeout(() => {
      spare = null
      const free = slots.some((s) => s.ready && !s.job)
      if (waiting.length === 0 || free || slots.length >= size || !slots.every((s) => s.ready)) {
        return
      }
      const ran = performance.now() - Math.min(...slots.map((s) => s.since))
      if (ran >= spareAfterMs) start()
      else armSpare(spareAfterMs - ran)
    }, ms)
    // The busy worker keeps the process alive while the job waits; this timer need not.
    spare.unref()
  }

  return {
    run(task, ...args) {
      return new Promise((resolve, reject) => {
        waiting.push({
          id: nextId++,
          task,
          args,
          resolve: resolve as (value: unknown) => void,
          reject,
        })
        // A worker on its way up keeps the process alive until it can take the job.
        for (const slot of slots) if (!slot.ready) slot.worker.ref()
        dispatch()
      })
    },
    workers: () => slots.length,
    warm() {
      if (slots.length === 0) start().worker.unref()
    },
    async close() {
      if (spare) clearTimeout(spare)
      spare = null
      const all = slots.splice(0)
      for (const job of waiting.splice(0)) job.reject(new SourceError('parse', 'Reading stopped'))
      await Promise.all(
        all.map(async (slot) => {
          const job = slot.job
          release(slot)
          if (slot.idle) clearTimeout(slot.idle)
          slot.idle = null
          slot.worker.removeAllListeners()
          slot.worker.on('error', () => undefined)
          await slot.worker.terminate()
          job?.reject(new SourceError('parse', 'Reading stopped'))
        }),
      )
    },
  }
}

let shared: ParsePool | null = null

/** The process's parse pool, started on first use. */
export function sharedParsePool(): ParsePool {
  shared ??= createParsePool()
  return shared
}

/** Runs a parse step in `pool` (the shared one by default). Throws only `SourceError`. */
export async function parseOffThread<N extends ParseTaskName>(
  pool: ParsePool | undefined,
  task: N,
  ...args: Parameters<ParseTasks[N]>
): Promise<Output<N>> {
  return (pool ?? sharedParsePool()).run(task, ...args)
}
