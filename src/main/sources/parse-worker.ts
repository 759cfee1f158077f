/* The parse worker's entry: runs one parse task per message and answers with plain data or a
   typed error. Killed and replaced by the pool when a parse runs too long or too large. */
import { parentPort } from 'node:worker_threads'
import { SourceError } from './connector'
import { parseTasks, type ParseTaskName } from './parse-tasks'

type Job = { id: number; task: ParseTaskName; args: unknown[] }

const port = parentPort
if (port) {
  port.on('message', (job: Job) => {
    try {
      const task = parseTasks[job.task] as (...args: unknown[]) => unknown
      if (typeof task !== 'function') throw new SourceError('config', `No parse step ${job.task}`)
      port.postMessage({ id: job.id, ok: true, value: task(...job.args) })
    } catch (cause) {
      const error =
        cause instanceof SourceError
          ? { kind: cause.kind, message: cause.message, details: cause.details }
          : { kind: 'parse', message: 'The answer could not be read', details: {} }
      port.postMessage({ id: job.id, ok: false, error })
    }
  })
  port.postMessage({ ready: true })
}
