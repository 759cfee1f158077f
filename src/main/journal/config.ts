import { join } from 'node:path'
import { z } from 'zod'
import {
  brandProfileSchema,
  sourceConfigSchema,
  type BrandProfile,
  type SourceConfig,
} from '../../shared/domain'
import { loadJsonFile, writeJsonFile } from './json-file'

/* The responder's settings in the data dir: one JSON file each, schema-checked, written atomically. */

const profileFileSchema = z.object({
  version: z.literal(1),
  profile: brandProfileSchema.nullable(),
})
const sourcesFileSchema = z.object({ version: z.literal(1), sources: z.array(sourceConfigSchema) })

/** The Demo source every new install starts with, until a real source is added. */
export const demoSource = (now: number): SourceConfig => ({
  id: 'demo',
  kind: 'demo',
  name: 'Demo',
  paused: false,
  intervalSec: 8,
  createdAt: now,
})

export type ConfigStore = {
  profile: BrandProfile | null
  sources: SourceConfig[]
  /** What went wrong reading the files, in words for the responder. */
  problems: string[]
  saveProfile(profile: BrandProfile): Promise<void>
  saveSources(sources: SourceConfig[]): Promise<void>
}

export async function loadConfig(dataDir: string, now: () => number): Promise<ConfigStore> {
  const profilePath = join(dataDir, 'profile.json')
  const sourcesPath = join(dataDir, 'sources.json')
  const profile = await loadJsonFile(
    profilePath,
    profileFileSchema,
    { version: 1, profile: null },
    now,
  )
  const sources = await loadJsonFile(
    sourcesPath,
    sourcesFileSchema,
    { version: 1, sources: [demoSource(now())] },
    now,
  )
  const store: ConfigStore = {
    profile: profile.value.profile,
    sources: sources.value.sources,
    problems: [profile.problem, sources.problem].filter((p): p is string => p !== null),
    async saveProfile(next) {
      await writeJsonFile(profilePath, { version: 1, profile: next })
      store.profile = next
    },
    async saveSources(next) {
      await writeJsonFile(sourcesPath, { version: 1, sources: next })
      store.sources = next
    },
  }
  return store
}
