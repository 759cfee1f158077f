/* The page's side of the report worker: numbered requests, replies matched to them, stale ones
   dropped, every message checked before it is believed. */
import type { DrillSpec, Report, ReportSettings } from './compute/types'
import { fromWorkerSchema, type FromWorker, type ToWorker } from './protocol'

/** What the client needs of a Worker (a test passes a channel to the runner instead). */
export type WorkerPort = {
  postMessage(message: ToWorker): void
  onmessage: ((event: { data: unknown }) => void) | null
  terminate(): void
}

export type RunOutcome = { kind: 'done'; report: Report } | { kind: 'cancelled' }
export type DrillOutcome = { kind: 'done'; ids: string[]; total: number } | { kind: 'cancelled' }

type Pending = {
  resolve: (message: FromWorker) => void
  progress?: (done: number, total: number) => void
}

export class ReportClient {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private lastRun: number | null = null
  private lastDrill: number | null = null

  constructor(private readonly port: WorkerPort) {
    port.onmessage = (event) => {
      const parsed = fromWorkerSchema.safeParse(event.data)
      if (!parsed.success) return
      const message = parsed.data
      const waiting = this.pending.get(message.runId)
      if (!waiting) return
      if (message.type === 'progress') waiting.progress?.(message.done, message.total)
      else {
        this.pending.delete(message.runId)
        waiting.resolve(message)
      }
    }
  }

  /** Computes a report; a newer run cancels this one, which then resolves as cancelled. */
  run(settings: ReportSettings, progress?: (done: number, total: number) => void) {
    if (this.lastRun !== null) this.cancel(this.lastRun)
    const runId = this.nextId++
    this.lastRun = runId
    return this.request({ type: 'run', runId, settings }, progress).then((message): RunOutcome => {
      if (message.type === 'result') return { kind: 'done', report: message.report }
      if (message.type === 'error') throw new Error(message.message)
      return { kind: 'cancelled' }
    })
  }

  /** The ids behind a figure, newest first; a newer drill cancels this one. */
  drill(settings: ReportSettings, spec: DrillSpec, limit: number) {
    if (this.lastDrill !== null) this.cancel(this.lastDrill)
    const runId = this.nextId++
    this.lastDrill = runId
    return this.request({ type: 'drill', runId, settings, spec, limit }).then(
      (message): DrillOutcome => {
        if (message.type === 'drilled') {
          return { kind: 'done', ids: message.ids, total: message.total }
        }
        if (message.type === 'error') throw new Error(message.message)
        return { kind: 'cancelled' }
      },
    )
  }

  cancel(runId: number): void {
    if (!this.pending.has(runId)) return
    this.port.postMessage({ type: 'cancel', runId })
  }

  /** Stops the worker; whatever still waits resolves as cancelled. */
  close(): void {
    this.port.terminate()
    for (const [runId, waiting] of this.pending) waiting.resolve({ type: 'cancelled', runId })
    this.pending.clear()
  }

  private request(message: ToWorker, progress?: Pending['progress']): Promise<FromWorker> {
    return new Promise((resolve) => {
      this.pending.set(message.runId, progress ? { resolve, progress } : { resolve })
      this.port.postMessage(message)
    })
  }
}

/** The real worker, bundled by Vite as its own module. */
export function startReportWorker(): ReportClient {
  const worker = new Worker(new URL('./report.worker.ts', import.meta.url), { type: 'module' })
  return new ReportClient(worker as unknown as WorkerPort)
}
