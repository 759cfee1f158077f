import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import {
  CHROMIUM_ARGS,
  chromiumPath,
  freePort,
  seedJournal,
  startHost,
  tempDir,
  type HostProcess,
} from '../test/e2e/harness'
import { syntheticMention } from './synthetic'

export type DiskContext = {
  context: BrowserContext
  /** The profile's folder, for `settled`. */
  profilePath: string
  close: () => Promise<void>
}

/**
 * A browser context on a fresh Chromium profile on disk, removed on close. Electron and a
 * responder's browser keep IndexedDB on disk; an incognito context keeps it in memory, where
 * Chromium stores several times slower (bench/ingest.ts measured it), which would time the
 * benchmarks' seeding and figures against storage nobody uses.
 */
export async function openDiskContext(
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<DiskContext> {
  const profile = await tempDir('earshot-bench-profile-')
  const context = await launchOnProfile(profile.path, options)
  return {
    context,
    profilePath: profile.path,
    close: async () => {
      await context.close()
      await profile.remove()
    },
  }
}

/** Headless Chromium on the profile in `dir`, with the e2e tests' flags (one list, one place). */
export function launchOnProfile(
  dir: string,
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  })
}

/** The Chromium version a page runs in. */
export async function chromiumVersionOf(context: BrowserContext): Promise<string> {
  const page = context.pages()[0] ?? (await context.newPage())
  return page.evaluate(() => /Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? 'unknown')
}

/**
 * Waits until the page has stored `total` mentions, by its `earshot:ingest` measures, or, with
 * `name: 'earshot:word-index'`, written their word rows.
 */
export async function waitForIngested(
  page: Page,
  total: number,
  options: { timeout: number; polling: number; name?: 'earshot:ingest' | 'earshot:word-index' },
): Promise<void> {
  const { name = 'earshot:ingest', ...wait } = options
  await page.waitForFunction(
    ({ want, measure }) =>
      performance
        .getEntriesByName(measure)
        .reduce(
          (n, e) =>
            n + (((e as PerformanceMeasure).detail as { count?: number } | null)?.count ?? 0),
          0,
        ) >= want,
    { want: total, measure: name },
    wait,
  )
}

/**
 * Waits until the profile's IndexedDB files (LevelDB tables and log) have not changed for 5 s:
 * LevelDB compacts in the background after a burst of writes, and a responder's database is
 * settled when they start the app. Resolves with the time it took.
 */
export async function settled(profilePath: string): Promise<number> {
  const dir = join(profilePath, 'Default', 'IndexedDB')
  const started = Date.now()
  const snapshot = async (): Promise<string> => {
    const parts: string[] = []
    for (const store of await readdir(dir).catch(() => [] as string[])) {
      for (const file of await readdir(join(dir, store)).catch(() => [] as string[])) {
        const info = await stat(join(dir, store, file)).catch(() => null)
        if (info) parts.push(`${store}/${file}:${info.size}:${info.mtimeMs}`)
      }
    }
    return parts.sort().join('\n')
  }
  let last = await snapshot()
  let quietSince = Date.now()
  while (Date.now() - quietSince < 5_000 && Date.now() - started < 600_000) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    const now = await snapshot()
    if (now !== last) {
      last = now
      quietSince = Date.now()
    }
  }
  return Date.now() - started
}

/**
 * A web host on a fresh data directory whose journal already holds `total` synthetic mentions
 * from one forum source, written `batch` at a time (what the queue and history benches open).
 */
export async function seededHost(
  name: string,
  total: number,
  batch: number,
): Promise<{ host: HostProcess; remove: () => Promise<void> }> {
  const data = await tempDir(`earshot-bench-${name}-`)
  await seedJournal(data.path, {
    total,
    batch,
    sourceId: 'bench-forum',
    make: (n) => syntheticMention(n),
  })
  const host = await startHost(await freePort(), data.path)
  return { host, remove: data.remove }
}
