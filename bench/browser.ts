import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath, tempDir } from '../test/e2e/harness'

export type DiskContext = { context: BrowserContext; close: () => Promise<void> }

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
