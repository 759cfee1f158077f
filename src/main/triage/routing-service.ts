/* Routing in the running app: the rules and departments on disk, applied to every new mention. */
import type { CallHandlers } from '../../shared/contract'
import type { Mention } from '../../shared/domain'
import { err, ok } from '../../shared/result'
import { routingProblems, type RoutingSettings } from '../../shared/routing'
import { loadRoutingFile, type RoutingFile } from '../journal/routing-file'
import type { Logger } from '../log'
import { mentionText } from './index'
import { applyRouting } from './routing'

export type RoutingService = {
  /** Reads `rules.json` and `departments.json` (defaults when missing or corrupt). */
  start(): Promise<void>
  /** What went wrong reading the files, for `app:info`. */
  problems(): string[]
  /** The mention with its route and any urgency a rule set; unchanged before `start`. */
  route(mention: Mention): Mention
  handlers: Pick<CallHandlers, 'routing:get' | 'routing:save'>
}

/** Where a webhook points, without its path: Slack-style URLs carry their secret in the path. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'an invalid address'
  }
}

export function createRoutingService(options: {
  dataDir: string
  now: () => number
  logger: Logger
}): RoutingService {
  let file: RoutingFile | null = null
  const { logger } = options

  return {
    async start() {
      file = await loadRoutingFile(options.dataDir, options.now)
      for (const problem of file.problems) logger.warn(problem)
    },
    problems: () => file?.problems ?? [],
    route(mention) {
      if (!file) return mention
      return applyRouting(mention, mentionText(mention), file.settings.rules)
    },
    handlers: {
      'routing:get': async () => {
        if (!file) return err('internal', 'Earshot is still starting')
        return ok(file.settings)
      },
      'routing:save': async (input) => {
        if (!file) return err('internal', 'Earshot is still starting')
        const problems = routingProblems(input)
        if (problems.length > 0) return err('invalid-input', problems.join('. '))
        // A fresh object, so the compiled rules of the old one are never reused by mistake.
        const next: RoutingSettings = {
          rules: [...input.rules],
          departments: [...input.departments],
        }
        await file.save(next)
        logger.info('routing saved', {
          rules: next.rules.length,
          departments: next.departments.length,
          webhooks: next.departments.flatMap((d) =>
            d.webhookUrl ? [webhookHost(d.webhookUrl)] : [],
          ),
        })
        return ok(next)
      },
    },
  }
}
