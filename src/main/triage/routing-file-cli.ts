/* Routing rules for the command line: read from a file the responder names, or the defaults. */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import type { Route } from '../../shared/domain'
import { describeError } from '../../shared/result'
import {
  DEFAULT_DEPARTMENTS,
  departmentSchema,
  MAX_DEPARTMENTS,
  MAX_RULES,
  routingProblems,
  routingRuleSchema,
  type Department,
  type RoutingSettings,
} from '../../shared/routing'
import { defaultRules } from './routing'

/** A rules file that cannot be used, said in one line. */
export class RoutingFileError extends Error {}

const rules = z.array(routingRuleSchema).max(MAX_RULES)
/** `rules.json` as the app writes it, `{rules, departments}` as `routing:get` answers, or a bare list. */
const rulesFileSchema = z.union([
  rules,
  z.object({
    rules,
    departments: z.array(departmentSchema).max(MAX_DEPARTMENTS).optional(),
  }),
])

/** The settings in `path`, checked as the app checks them; the defaults when no path is given. */
export async function readRoutingFile(path: string | undefined): Promise<RoutingSettings> {
  if (path === undefined) return { rules: defaultRules(), departments: [...DEFAULT_DEPARTMENTS] }
  let raw: unknown
  try {
    raw = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, '')) as unknown
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    if (code === 'ENOENT') throw new RoutingFileError(`No such rules file: ${path}`)
    if (cause instanceof SyntaxError) throw new RoutingFileError(`${path} is not valid JSON`)
    throw new RoutingFileError(`Cannot read ${path}: ${describeError(cause)}`)
  }
  const parsed = rulesFileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new RoutingFileError(
      `${path} does not hold routing rules${where}: ${issue?.message ?? 'not valid'}`,
    )
  }
  const settings: RoutingSettings = Array.isArray(parsed.data)
    ? { rules: parsed.data, departments: [...DEFAULT_DEPARTMENTS] }
    : {
        rules: parsed.data.rules,
        departments: parsed.data.departments ?? [...DEFAULT_DEPARTMENTS],
      }
  const problems = routingProblems(settings)
  if (problems.length > 0) throw new RoutingFileError(`${path}: ${problems[0] ?? ''}`)
  return settings
}

/** The name of the department a route goes to first, or null when it goes to none. */
export function routeName(
  route: Route | undefined,
  departments: readonly Department[],
): string | null {
  const id = route?.department
  if (id === undefined) return null
  return departments.find((department) => department.id === id)?.name ?? id
}
