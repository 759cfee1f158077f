import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { openJournal } from '../src/main/journal/journal'
import { silentLogger } from '../src/main/log'
import {
  freePort,
  launchBrowser,
  startHost,
  stopHost,
  tempDir,
  type HostProcess,
} from '../test/e2e/harness'
import type { Figure } from './results'
import { syntheticMention } from './synthetic'

/*
 * The queue at 100,000 stored mentions, in Chromium on the web host. Each figure is also taken
 * at 1,000 mentions in the same run (a second host and browser context): the ratio says how much
 * the size of the history costs, whatever this machine's speed.
 *
 * queue_first_paint_ms_100k: a reload, from navigation start to the first queue row in the DOM.
 * filter_ms_100k: choosing Sentiment = negative in the Inbox until every row shown is negative.
 * scroll_p95_frame_ms: the 95th percentile frame time while the grid scrolls 240 frames.
 * page_mb_100k: the page's JS heap after a garbage collection (DOM nodes counted in the note).
 */

const LARGE = 100_000
const SMALL = 1_000
const BATCH = 500

type Measured = {
  firstPaintMs: number
  filterMs: number
  scrollP95Ms: number
  heapMb: number
  domNodes: number
}

async function seededHost(
  total: number,
): Promise<{ host: HostProcess; remove: () => Promise<void> }> {
  const data = await tempDir('earshot-bench-queue-')
  const profile = { brand: 'Acme', handles: [], products: [], competitors: [], excluded: [] }
  await writeFile(join(data.path, 'profile.json'), JSON.stringify({ version: 1, profile }))
  await writeFile(join(data.path, 'sources.json'), JSON.stringify({ version: 1, sources: [] }))
  const journal = await openJournal({
    journalPath: join(data.path, 'journal.jsonl'),
    statePath: join(data.path, 'delivery.json'),
    logger: silentLogger,
  })
  for (let start = 0; start < total; start += BATCH) {
    const mentions = Array.from({ length: BATCH }, (_, i) => syntheticMention(start + i))
    await journal.append('bench-forum', { seen: start + BATCH }, mentions)
  }
  await journal.close()
  const host = await startHost(await freePort(), data.path)
  return { host, remove: data.remove }
}

/** Records when the first queue row enters the DOM, measured from navigation start. */
const FIRST_ROW_SCRIPT = `
globalThis.__name = (f) => f
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-mention-id]')) {
    globalThis.__firstRowAt = performance.now()
    observer.disconnect()
  }
}).observe(document, { childList: true, subtree: true })
`

async function measure(browser: Browser, url: string, total: number): Promise<Measured> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  await context.addInitScript({ content: FIRST_ROW_SCRIPT })
  const page = await context.newPage()
  try {
    await page.goto(url)
    // First load: the page catches up on the whole journal into IndexedDB.
    await page.waitForFunction(
      (want) =>
        performance
          .getEntriesByName('earshot:ingest')
          .reduce(
            (n, e) =>
              n + (((e as PerformanceMeasure).detail as { count?: number } | null)?.count ?? 0),
            0,
          ) >= want,
      total,
      { timeout: 900_000, polling: 500 },
    )
    // The figure: a reload with everything stored.
    await page.reload()
    await page.waitForFunction(
      () => typeof (globalThis as { __firstRowAt?: number }).__firstRowAt === 'number',
      null,
      {
        timeout: 60_000,
      },
    )
    const firstPaintMs = await page.evaluate(
      () => (globalThis as unknown as { __firstRowAt: number }).__firstRowAt,
    )
    return {
      firstPaintMs,
      filterMs: await filterTime(page),
      scrollP95Ms: await scrollP95(page),
      ...(await memory(page)),
    }
  } finally {
    await context.close()
  }
}

/** Sentiment = negative, from the change event to the first frame where every row is negative. */
function filterTime(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const select = document.querySelector<HTMLSelectElement>('select[aria-label="Sentiment"]')
        if (!select) return reject(new Error('no sentiment filter on the page'))
        const done = () => {
          const rows = [...document.querySelectorAll('[aria-label="Mentions"] [data-mention-id]')]
          return (
            rows.length > 0 &&
            rows.every((row) => row.querySelector('.sentiment--negative') !== null)
          )
        }
        if (done()) return reject(new Error('the rows were all negative before the filter'))
        const t0 = performance.now()
        select.value = 'negative'
        select.dispatchEvent(new Event('change', { bubbles: true }))
        const deadline = t0 + 60_000
        const check = () => {
          if (done()) resolve(performance.now() - t0)
          else if (performance.now() > deadline) reject(new Error('the filter never repainted'))
          else requestAnimationFrame(check)
        }
        requestAnimationFrame(check)
      }),
  )
}

/** Scrolls the grid 120 px a frame for 240 frames; the 95th percentile frame time. */
function scrollP95(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const body = document.querySelector<HTMLElement>('.grid__body')
        if (!body) return reject(new Error('no grid on the page'))
        const frames: number[] = []
        let last = performance.now()
        let step = 0
        const tick = (now: number) => {
          frames.push(now - last)
          last = now
          body.scrollTop += 120
          step += 1
          if (step < 240) requestAnimationFrame(tick)
          else {
            const sorted = frames.slice(1).sort((a, b) => a - b)
            resolve(sorted[Math.floor(sorted.length * 0.95)] ?? 0)
          }
        }
        requestAnimationFrame(tick)
      }),
  )
}

async function memory(page: Page): Promise<{ heapMb: number; domNodes: number }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('Performance.enable')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0
  await cdp.detach()
  return { heapMb: value('JSHeapUsedSize') / 2 ** 20, domNodes: value('Nodes') }
}

export async function queueBenchmark(): Promise<{ figures: Figure[]; chromium: string }> {
  const small = await seededHost(SMALL)
  const large = await seededHost(LARGE)
  const browser = await launchBrowser()
  try {
    const base = await measure(browser, small.host.url, SMALL)
    const big = await measure(browser, large.host.url, LARGE)
    const vs = (a: number, b: number) =>
      `${(a / b).toFixed(2)}× the same at ${SMALL.toLocaleString()} mentions (${Math.round(b * 10) / 10})`
    return {
      chromium: browser.version(),
      figures: [
        {
          name: 'queue_first_paint_ms_100k',
          value: big.firstPaintMs,
          unit: 'ms',
          target: '< 1000',
          met: big.firstPaintMs < 1000,
          note: `reload to the first Inbox row with ${LARGE.toLocaleString()} stored; ${vs(big.firstPaintMs, base.firstPaintMs)}`,
        },
        {
          name: 'filter_ms_100k',
          value: big.filterMs,
          unit: 'ms',
          target: '< 150',
          met: big.filterMs < 150,
          note: `Inbox (${(LARGE / 4).toLocaleString()} rows) filtered to negative sentiment, change to repainted rows; ${vs(big.filterMs, base.filterMs)}`,
        },
        {
          name: 'scroll_p95_frame_ms',
          value: big.scrollP95Ms,
          unit: 'ms',
          target: '< 16',
          met: big.scrollP95Ms < 16,
          note: `240 frames scrolling 120 px each at ${LARGE.toLocaleString()}; ${vs(big.scrollP95Ms, base.scrollP95Ms)}`,
        },
        {
          name: 'page_mb_100k',
          value: big.heapMb,
          unit: 'MB',
          target: '< 400',
          met: big.heapMb < 400,
          note: `JS heap after GC (DOM: ${big.domNodes} nodes, not in MB) at ${LARGE.toLocaleString()}; ${vs(big.heapMb, base.heapMb)}`,
        },
      ],
    }
  } finally {
    await browser.close()
    await stopHost(small.host)
    await stopHost(large.host)
    await small.remove()
    await large.remove()
  }
}
