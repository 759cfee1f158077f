/* The contract calls for the learner: correct a mention, read, reset, export or import the model. */
import type { CallHandlers } from '../../shared/contract'
import type { BrandProfile } from '../../shared/domain'
import { err, ok } from '../../shared/result'
import { learnCorrection, triageText, type TriageOptions } from './index'
import { parseLearnerFile } from './learner'
import type { LearnerStore } from './learner-store'

type LearnerCalls =
  | 'triage:correct'
  | 'triage:model'
  | 'triage:resetModel'
  | 'triage:exportModel'
  | 'triage:importModel'

export type LearnerDeps = {
  /** The open store; throws while Earshot is still starting. */
  store: () => LearnerStore
  profile: () => BrandProfile | null
  now: () => number
}

export function createLearnerHandlers(deps: LearnerDeps): Pick<CallHandlers, LearnerCalls> {
  /** The parts of the model being imported, until its last part arrives. */
  let upload: { id: string; count: number; parts: string[] } | null = null
  return {
    'triage:correct': async (input) => {
      const store = deps.store()
      const profile = deps.profile()
      const at = deps.now()
      const options: TriageOptions = {
        followers: input.followers,
        ageMs: input.createdAt === undefined ? undefined : Math.max(0, at - input.createdAt),
        // Only a "yes" is news: the brand's handles in the text decide the rest, as they did.
        addressed: input.directed === true ? true : undefined,
        platform: input.platform,
      }
      const correction = { intent: input.intent, sentiment: input.sentiment, urgent: input.urgent }
      learnCorrection(store.learner, input.text, profile, correction, options, at)
      store.changed()
      const triage = triageText(input.text, profile, { ...options, learner: store.learner })
      return ok({ triage, corrections: store.learner.summary().corrections })
    },
    'triage:model': async () => ok(deps.store().learner.summary()),
    'triage:resetModel': async () => {
      const store = deps.store()
      await store.reset()
      return ok(store.learner.summary())
    },
    'triage:exportModel': async () => ok({ json: JSON.stringify(deps.store().learner.toJSON()) }),
    'triage:importModel': async ({ uploadId, index, count, chunk }) => {
      // One import at a time: a new upload (or a part out of order) starts over.
      if (index === 0 || upload?.id !== uploadId || upload.parts.length !== index) {
        upload = index === 0 ? { id: uploadId, count, parts: [] } : null
      }
      if (!upload || upload.count !== count) {
        upload = null
        return err('invalid-input', 'The model arrived out of order: import it again')
      }
      upload.parts.push(chunk)
      if (upload.parts.length < count) return ok(null)
      const json = upload.parts.join('')
      upload = null
      let value: unknown
      try {
        value = JSON.parse(json)
      } catch {
        return err('invalid-input', 'This file is not a model exported by Earshot (not JSON)')
      }
      const parsed = parseLearnerFile(value)
      if (!parsed.ok) {
        return err(
          'invalid-input',
          `This file is not a model exported by Earshot: ${parsed.problem}`,
        )
      }
      const store = deps.store()
      await store.replace(parsed.file)
      return ok(store.learner.summary())
    },
  }
}
