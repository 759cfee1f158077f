/*
 * Keeps the learner in `learner.json` in the data dir: loaded at start (a corrupt file is set
 * aside and the model starts fresh, with a problem to show), written atomically a moment after
 * the last correction, and on flush when the app stops.
 */
import { loadJsonFile, writeJsonFile } from '../journal/json-file'
import type { Logger } from '../log'
import { createLearner, learnerFileSchema, type Learner, type LearnerFile } from './learner'

export type LearnerStore = {
  readonly learner: Learner
  /** Set when a saved model could not be read, in words for the responder. */
  readonly problem: string | null
  /** The model changed: save it soon (writes are coalesced). */
  changed(): void
  /** Forgets everything learned and saves the empty model. */
  reset(): Promise<void>
  /** Replaces the model with an imported one and saves it. */
  replace(file: LearnerFile): Promise<void>
  /** Writes any pending change now. */
  flush(): Promise<void>
}

export async function openLearnerStore(
  path: string,
  logger: Logger,
  everyMs = 1_000,
): Promise<LearnerStore> {
  const loaded = await loadJsonFile(path, learnerFileSchema.nullable(), null)
  if (loaded.problem) logger.warn(loaded.problem)
  const learner = createLearner(loaded.value ?? undefined)
  let timer: ReturnType<typeof setTimeout> | null = null
  let writing: Promise<void> = Promise.resolve()

  const write = () => {
    if (timer) clearTimeout(timer)
    timer = null
    writing = writing
      .then(() => writeJsonFile(path, learner.toJSON()))
      .catch((cause: unknown) =>
        logger.warn('could not save the learned triage model', { error: cause }),
      )
    return writing
  }

  return {
    learner,
    problem: loaded.problem,
    changed() {
      timer ??= setTimeout(() => void write(), everyMs)
    },
    async reset() {
      learner.reset()
      await write()
    },
    async replace(file) {
      learner.load(file)
      await write()
    },
    async flush() {
      if (timer) await write()
      else await writing
    },
  }
}
