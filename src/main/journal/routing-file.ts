import { join } from 'node:path'
import { z } from 'zod'
import {
  DEFAULT_DEPARTMENTS,
  departmentSchema,
  MAX_DEPARTMENTS,
  MAX_RULES,
  routingProblems,
  routingRuleSchema,
  type RoutingSettings,
} from '../../shared/routing'
import { defaultRules } from '../triage/routing'
import { loadJsonFile, writeJsonFile } from './json-file'

/* `rules.json` and `departments.json` in the data dir: schema-checked, written atomically. */

const rulesFileSchema = z.object({
  version: z.literal(1),
  rules: z.array(routingRuleSchema).max(MAX_RULES),
})
const departmentsFileSchema = z.object({
  version: z.literal(1),
  departments: z.array(departmentSchema).max(MAX_DEPARTMENTS),
})

export type RoutingFile = {
  /** Replaced on save, never mutated: routing caches its compiled rules by this object. */
  settings: RoutingSettings
  /** What went wrong reading the files, in words for the responder. */
  problems: string[]
  save(next: RoutingSettings): Promise<void>
}

export async function loadRoutingFile(dataDir: string, now: () => number): Promise<RoutingFile> {
  const rulesPath = join(dataDir, 'rules.json')
  const departmentsPath = join(dataDir, 'departments.json')
  const departments = await loadJsonFile(
    departmentsPath,
    departmentsFileSchema,
    { version: 1, departments: [...DEFAULT_DEPARTMENTS] },
    now,
  )
  const rules = await loadJsonFile(
    rulesPath,
    rulesFileSchema,
    { version: 1, rules: defaultRules() },
    now,
  )
  const settings: RoutingSettings = {
    rules: rules.value.rules,
    departments: departments.value.departments,
  }
  // Each file can be sound alone and still disagree with the other (one was restored, or a save
  // stopped between the two writes); the rules still run, routing to what exists.
  const mismatch = routingProblems(settings).map(
    (problem) => `Routing settings: ${problem}. Check the Routing screen.`,
  )
  const store: RoutingFile = {
    settings,
    problems: [departments.problem, rules.problem, ...mismatch].filter(
      (p): p is string => p !== null,
    ),
    async save(next) {
      // Departments first: a new department exists before a rule can name it.
      await writeJsonFile(departmentsPath, { version: 1, departments: next.departments })
      await writeJsonFile(rulesPath, { version: 1, rules: next.rules })
      store.settings = next
    },
  }
  return store
}
