/* `templates.json` in the data dir: the responder's reply templates, schema-checked, written
   atomically; the seeded answers when missing, and again (with a problem said) when corrupt. */
import { join } from 'node:path'
import { z } from 'zod'
import type { CallHandlers } from '../../shared/contract'
import { err, ok } from '../../shared/result'
import { DEFAULT_TEMPLATES, templateListSchema, type Template } from '../../shared/templates'
import { loadJsonFile, writeJsonFile } from '../journal/json-file'
import type { Logger } from '../log'

const fileSchema = z.object({ version: z.literal(1), templates: templateListSchema })

export type TemplateStore = {
  start(): Promise<void>
  /** What went wrong reading the file, for `app:info`. */
  problems(): string[]
  handlers: Pick<CallHandlers, 'templates:list' | 'templates:save'>
}

export function createTemplateStore(options: {
  dataDir: string
  now: () => number
  logger: Logger
}): TemplateStore {
  const path = join(options.dataDir, 'templates.json')
  let templates: Template[] | null = null
  let problem: string | null = null
  return {
    async start() {
      const loaded = await loadJsonFile(
        path,
        fileSchema,
        { version: 1, templates: DEFAULT_TEMPLATES.map((t) => ({ ...t })) },
        options.now,
      )
      templates = loaded.value.templates
      problem = loaded.problem
      if (problem) options.logger.warn(problem)
    },
    problems: () => (problem ? [problem] : []),
    handlers: {
      'templates:list': async () => {
        if (!templates) return err('internal', 'Earshot is still starting')
        return ok(templates)
      },
      'templates:save': async ({ templates: next }) => {
        if (!templates) return err('internal', 'Earshot is still starting')
        await writeJsonFile(path, { version: 1, templates: next })
        templates = next
        options.logger.info('templates saved', { count: next.length })
        return ok(next)
      },
    },
  }
}
