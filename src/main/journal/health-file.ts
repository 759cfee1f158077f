import { z } from 'zod'
import { sourceHealthSchema, type SourceHealth } from '../../shared/domain'
import type { Logger } from '../log'
import { rateModelSchema, type RateModel } from '../sources/source-rate'
import { loadJsonFile, writeJsonFile } from './json-file'

/*
 * Source health outlives a restart: "last success 2 hours ago, 340 items so far" must not turn
 * into "never, 0" because the app was reopened. Written at most every `everyMs`, and on flush.
 */

const fileSchema = z.object({
  version: z.literal(1),
  health: z.record(z.string(), sourceHealthSchema),
  /** Each source's rate model; optional (older files lack it) and never a reason to drop health. */
  rates: z.record(z.string(), rateModelSchema).optional().catch(undefined),
})

export type HealthFile = {
  saved: (sourceId: string) => SourceHealth | undefined
  update: (sourceId: string, health: SourceHealth | null) => void
  savedRate: (sourceId: string) => RateModel | undefined
  updateRate: (sourceId: string, rate: RateModel | null) => void
  flush: () => Promise<void>
  problem: string | null
}

export async function openHealthFile(
  path: string,
  logger: Logger,
  everyMs = 2_000,
): Promise<HealthFile> {
  const loaded = await loadJsonFile(path, fileSchema, { version: 1, health: {} })
  const health = new Map(Object.entries(loaded.value.health))
  const rates = new Map(Object.entries(loaded.value.rates ?? {}))
  let timer: ReturnType<typeof setTimeout> | null = null
  let writing: Promise<void> = Promise.resolve()

  const write = () => {
    timer = null
    writing = writing
      .then(() =>
        writeJsonFile(path, {
          version: 1,
          health: Object.fromEntries(health),
          rates: Object.fromEntries(rates),
        }),
      )
      .catch((cause: unknown) => logger.warn('could not save source health', { error: cause }))
    return writing
  }

  return {
    problem: loaded.problem,
    saved: (sourceId) => health.get(sourceId),
    update(sourceId, next) {
      if (next) health.set(sourceId, next)
      else health.delete(sourceId)
      timer ??= setTimeout(() => void write(), everyMs)
    },
    savedRate: (sourceId) => rates.get(sourceId),
    updateRate(sourceId, next) {
      if (next) rates.set(sourceId, next)
      else rates.delete(sourceId)
      timer ??= setTimeout(() => void write(), everyMs)
    },
    async flush() {
      if (timer) clearTimeout(timer)
      await write()
    },
  }
}
