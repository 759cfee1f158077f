/* The contract calls for the learner: correct a mention, read, reset or export the model. */
import type { CallHandlers } from '../../shared/contract'
import type { BrandProfile } from '../../shared/domain'
import { ok } from '../../shared/result'
import { learnCorrection, triageText, type TriageOptions } from './index'
import type { LearnerStore } from './learner-store'

type LearnerCalls = 'triage:correct' | 'triage:model' | 'triage:resetModel' | 'triage:exportModel'

export type LearnerDeps = {
  /** The open store; throws while Earshot is still starting. */
  store: () => LearnerStore
  profile: () => BrandProfile | null
  now: () => number
}

export function createLearnerHandlers(deps: LearnerDeps): Pick<CallHandlers, LearnerCalls> {
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
  }
}
