import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { stopHost, tempDir } from '../test/e2e/harness'
import { chromiumVersionOf, launchOnProfile, seededHost, settled, waitForIngested } from './browser'
import type { Figure } from './results'

/*
 * The queue at 100,000 stored mentions, in Chromium on the web host. Each figure is also taken
 * at 1,000 mentions in the same run (a second host and browser context): the ratio says how much
 * the size of the history costs, whatever this machine's speed.
 *
 * queue_first_paint_ms_100k: an app start on a settled database, from navigation start to the first
 *   queue row in the DOM. The page first catches up on the whole journal and stays open until
 *   Chromium's LevelDB has finished compacting those writes (its files stop changing); then the
 *   browser is closed and started again on the same profile on disk, as a responder quits and
 *   later starts Earshot (Electron opens IndexedDB from disk at each start). A reload right after
 *   the catch-up, or a start seconds after it, timed LevelDB still compacting 100,000 fresh writes
 *   (opening the database alone took 2.5 to 6.5 s), which a responder starting the app does not
 *   meet. The start-up's steps (page script, IndexedDB open, the catch-up's ask to main, the first
 *   window's read) are in the note.
 * filter_ms_100k: choosing Sentiment = negative in the Inbox until every row shown is negative.
 * scroll_p95_frame_ms: the 95th percentile of the main thread's work per frame while the grid
 *   scrolls 240 frames (the interval between frames and the dropped frames are in the note).
 * page_mb_100k: the page's JS heap after a garbage collection (DOM nodes counted in the note).
 */

/** QUEUE_BENCH_LARGE: a smaller history while working on the queue; the figure is at 100,000. */
const LARGE = Number(process.env.QUEUE_BENCH_LARGE ?? 100_000)
const SMALL = 1_000
/**
 * QUEUE_BENCH_PROFILE=1: a CPU profile and a trace of the renderer around each scroll, printing
 * the functions with the most self time and the trace's main-thread totals (what to fix next).
 */
const PROFILE = process.env.QUEUE_BENCH_PROFILE === '1'
const BATCH = 500

/** When each start-up step ended, in ms from navigation start (the first window: its read). */
type StartUp = {
  script: number
  dbOpen: number
  pending: number
  firstWindowFrom: number
  firstWindow: number
}

type Measured = {
  /** How long LevelDB took to settle after the catch-up, before the measured start. */
  settleMs: number
  firstPaintMs: number
  startUp: StartUp
  /** When the states mirror finished loading, from navigation start. */
  mirrorReadyMs: number
  filterMs: number
  scroll: Scroll
  heapMb: number
  domNodes: number
}

/**
 * Records when the first queue row enters the DOM, measured from navigation start, and when the
 * page's IndexedDB open succeeded (Chromium opens the database's LevelDB then).
 */
const FIRST_ROW_SCRIPT = `
globalThis.__name = (f) => f
const open = IDBFactory.prototype.open
IDBFactory.prototype.open = function (...args) {
  const request = open.apply(this, args)
  request.addEventListener('success', () => { globalThis.__dbOpenAt ??= performance.now() })
  return request
}
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-mention-id]')) {
    globalThis.__firstRowAt = performance.now()
    observer.disconnect()
  }
}).observe(document, { childList: true, subtree: true })
`

/** A browser on a Chromium profile on disk (a responder's browser, or Electron, keeps IndexedDB). */
async function launch(profile: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchOnProfile(profile, { viewport: { width: 1440, height: 900 } })
  await context.addInitScript({ content: FIRST_ROW_SCRIPT })
  return { context, page: context.pages()[0] ?? (await context.newPage()) }
}

/**
 * Each measure runs on a fresh Chromium profile on disk, as Electron and a responder's browser
 * keep IndexedDB; an incognito context keeps it in memory, where Chromium stores several times
 * slower (see bench/ingest.ts).
 */
async function measure(url: string, total: number): Promise<Measured & { chromium: string }> {
  const profile = await tempDir('earshot-bench-profile-')
  try {
    // First start: the page catches up on the whole journal into IndexedDB.
    const first = await launch(profile.path)
    let settleMs: number
    try {
      await first.page.goto(url)
      await waitForIngested(first.page, total, { timeout: 1_800_000, polling: 500 })
      // And their word rows, written after the ingest in quiet time: the steady state.
      await waitForIngested(first.page, total, {
        timeout: 1_800_000,
        polling: 500,
        name: 'earshot:word-index',
      })
      settleMs = await settled(profile.path)
    } finally {
      await first.context.close()
    }
    // The figure: the app started again with everything stored.
    const { context, page } = await launch(profile.path)
    try {
      await page.goto(url)
      await page.waitForFunction(
        () => typeof (globalThis as { __firstRowAt?: number }).__firstRowAt === 'number',
        null,
        { timeout: 120_000 },
      )
      const { firstPaintMs, startUp } = await page.evaluate(startUpOf)
      // Filters answer from the in-memory mirror of the states, loaded in the background after the
      // first paint; its load time is reported beside the filter figure.
      const mirrorReadyMs = await page
        .waitForFunction(
          () => {
            const mark = performance.getEntriesByName('earshot:mirror-ready')[0]
            return mark ? mark.startTime : false
          },
          null,
          { timeout: 120_000, polling: 50 },
        )
        .then((handle) => handle.jsonValue() as Promise<number>)
      return {
        chromium: await chromiumVersionOf(context),
        settleMs,
        firstPaintMs,
        startUp,
        mirrorReadyMs,
        filterMs: await filterTime(page),
        scroll: PROFILE
          ? await profiled(page, `${total}`, () => scrollFrames(page))
          : await scrollFrames(page),
        ...(await memory(page)),
      }
    } finally {
      await context.close()
    }
  } finally {
    await profile.remove()
  }
}

/** Runs in the page: the first row's time and the start-up marks (see StartUp). */
function startUpOf(): { firstPaintMs: number; startUp: StartUp } {
  const g = globalThis as unknown as { __firstRowAt: number; __dbOpenAt?: number }
  const end = (name: string) => {
    const entry = performance.getEntriesByName(name)[0]
    return entry ? entry.startTime + entry.duration : -1
  }
  const script = performance.getEntriesByName('earshot:sync-start')[0]?.startTime ?? -1
  const read = performance.getEntriesByName('earshot:first-window')[0]
  return {
    firstPaintMs: g.__firstRowAt,
    startUp: {
      script,
      dbOpen: g.__dbOpenAt ?? -1,
      pending: end('earshot:pending'),
      firstWindowFrom: read?.startTime ?? -1,
      firstWindow: read ? read.startTime + read.duration : -1,
    },
  }
}

/** The start-up's steps for the note, in ms from navigation start. */
function describeStartUp(s: StartUp, firstPaintMs: number): string {
  const ms = (n: number) => (n < 0 ? 'none' : `${Math.round(n)}`)
  return (
    `page script ${ms(s.script)}, IndexedDB open ${ms(s.dbOpen)}, catch-up answered ` +
    `${ms(s.pending)}, first window read ${ms(s.firstWindowFrom)}–${ms(s.firstWindow)}, ` +
    `first row ${ms(firstPaintMs)}`
  )
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

type Scroll = {
  /** 95th percentile of the main thread's work per frame. */
  workP95Ms: number
  /** 95th percentile of the interval between frames (bounded below by the display's refresh). */
  intervalP95Ms: number
  /** Frames that took longer than two refreshes: what a responder sees as a stutter. */
  dropped: number
}

/**
 * Scrolls the grid 120 px a frame for 240 frames. A frame's work runs from its first task (the
 * scroll event the previous step caused, where the virtualizer re-renders rows) to the end of its
 * rendering (a message posted from the animation-frame callback runs after style, layout and
 * paint). The interval between frames cannot go below the display's 16.7 ms, so it is reported
 * beside the work as the count of frames that took longer than two refreshes.
 */
export function scrollFrames(page: Page): Promise<Scroll> {
  return page.evaluate(
    () =>
      new Promise<Scroll>((resolve, reject) => {
        const body = document.querySelector<HTMLElement>('.grid__body')
        if (!body) return reject(new Error('no grid on the page'))
        const work: number[] = []
        const intervals: number[] = []
        let frameStart: number | null = null
        const onScroll = () => {
          frameStart ??= performance.now()
        }
        // Capture on window runs before any listener on the grid itself.
        window.addEventListener('scroll', onScroll, true)
        const channel = new MessageChannel()
        channel.port1.onmessage = () => {
          if (frameStart !== null) work.push(performance.now() - frameStart)
          frameStart = null
        }
        let last = performance.now()
        let step = 0
        const p95 = (values: number[]) => {
          const sorted = [...values].sort((a, b) => a - b)
          return sorted[Math.floor(sorted.length * 0.95)] ?? 0
        }
        const tick = (now: number) => {
          intervals.push(now - last)
          last = now
          frameStart ??= performance.now()
          body.scrollTop += 120
          channel.port2.postMessage(null)
          step += 1
          if (step < 240) return requestAnimationFrame(tick)
          window.removeEventListener('scroll', onScroll, true)
          const settled = intervals.slice(1)
          resolve({
            workP95Ms: p95(work.slice(1)),
            intervalP95Ms: p95(settled),
            dropped: settled.filter((ms) => ms > 2 * (1000 / 60)).length,
          })
        }
        requestAnimationFrame(tick)
      }),
  )
}

type ProfileNode = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
type TraceEvent = {
  name: string
  ph: string
  dur?: number
  /** The thread's CPU time inside the event: what a loaded machine does not inflate. */
  tdur?: number
  ts?: number
  tid: number
  pid: number
  args?: { name?: string }
}

/**
 * Runs `work` under a sampling CPU profile and a devtools timeline trace of the page, then prints
 * the top self-time functions and the main thread's time per trace event name. Nested events
 * count in each of their names, so the totals say where time goes, not a sum.
 */
async function profiled<T>(page: Page, label: string, work: () => Promise<T>): Promise<T> {
  const cdp = await page.context().newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])))
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,v8,blink.user_timing,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  })
  await cdp.send('Profiler.start')
  const result = await work()
  const { profile } = await cdp.send('Profiler.stop')
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  )
  await cdp.send('Tracing.end')
  await complete
  await cdp.detach()

  // The whole trace, for a closer look (chrome://tracing or Perfetto open it).
  const traceFile = join(tmpdir(), `earshot-queue-scroll-${label}.json`)
  await writeFile(traceFile, JSON.stringify({ traceEvents: events }))
  await writeFile(traceFile.replace(/\.json$/, '.cpuprofile'), JSON.stringify(profile))
  console.log(`[queue profile at ${label}] trace and .cpuprofile written to ${traceFile}`)
  const nodes = new Map<number, ProfileNode>()
  for (const node of profile.nodes as ProfileNode[]) nodes.set(node.id, node)
  const self = new Map<string, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let total = 0
  samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame
    const ms = (deltas[index + 1] ?? 0) / 1000
    total += ms
    if (!frame) return
    const file = frame.url.split('/').at(-1) ?? ''
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + ms)
  })
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)
  console.log(`\n[queue profile at ${label}] CPU self time, ${total.toFixed(0)} ms sampled`)
  for (const [key, ms] of top) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${key}`)

  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  const byName = new Map<string, { ms: number; n: number; each: number[] }>()
  for (const event of events) {
    if (!main || event.pid !== main.pid || event.tid !== main.tid) continue
    if (event.ph !== 'X' || event.dur === undefined) continue
    const entry = byName.get(event.name) ?? { ms: 0, n: 0, each: [] }
    const ms = (event.tdur ?? event.dur) / 1000
    entry.ms += ms
    entry.n += 1
    entry.each.push(ms)
    byName.set(event.name, entry)
  }
  // The main thread's CPU per frame: every task from one animation frame to the next.
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid)
  const frames = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts ?? 0)
  const perFrame = frames.map(() => 0)
  for (const task of onMain) {
    if (task.name !== 'RunTask' || task.ph !== 'X') continue
    const at = frames.findLastIndex((ts) => ts <= (task.ts ?? 0))
    if (at >= 0) perFrame[at]! += (task.tdur ?? task.dur ?? 0) / 1000
  }
  const cpu = perFrame.slice(1, -1).sort((a, b) => a - b)
  const cpuAt = (q: number) => (cpu[Math.floor(cpu.length * q)] ?? 0).toFixed(1)
  console.log(
    `[queue profile at ${label}] main-thread CPU per frame: p50 ${cpuAt(0.5)} p95 ${cpuAt(0.95)} max ${cpuAt(0.999)} ms`,
  )
  console.log(
    `[queue profile at ${label}] main-thread CPU time per trace event (nested counted in each)`,
  )
  for (const [name, { ms, n, each }] of [...byName]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 25)) {
    const sorted = each.sort((a, b) => a - b)
    const at = (q: number) => (sorted[Math.floor(sorted.length * q)] ?? 0).toFixed(1)
    console.log(
      `  ${ms.toFixed(1).padStart(8)} ms  ${String(n).padStart(5)}x  p50 ${at(0.5)} p95 ${at(0.95)} max ${at(0.999)}  ${name}`,
    )
  }
  return result
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
  const small = await seededHost('queue', SMALL, BATCH)
  const large = await seededHost('queue', LARGE, BATCH)
  try {
    const base = await measure(small.host.url, SMALL)
    const big = await measure(large.host.url, LARGE)
    const vs = (a: number, b: number) =>
      `${(a / b).toFixed(2)}× the same at ${SMALL.toLocaleString()} mentions (${Math.round(b * 10) / 10})`
    return {
      chromium: big.chromium,
      figures: [
        {
          name: 'queue_first_paint_ms_100k',
          value: big.firstPaintMs,
          unit: 'ms',
          target: '< 1000',
          met: big.firstPaintMs < 1000,
          note: `app start (browser relaunched on the profile on disk) to the first Inbox row with ${LARGE.toLocaleString()} stored; ${vs(big.firstPaintMs, base.firstPaintMs)}; steps at ${LARGE.toLocaleString()}: ${describeStartUp(big.startUp, big.firstPaintMs)}; at ${SMALL.toLocaleString()}: ${describeStartUp(base.startUp, base.firstPaintMs)}; LevelDB settled ${Math.round(big.settleMs / 1000)} s after the catch-up at ${LARGE.toLocaleString()} (${Math.round(base.settleMs / 1000)} s at ${SMALL.toLocaleString()})`,
        },
        {
          name: 'filter_ms_100k',
          value: big.filterMs,
          unit: 'ms',
          target: '< 150',
          met: big.filterMs < 150,
          note: `Inbox (${(LARGE / 4).toLocaleString()} rows) filtered to negative sentiment, change to repainted rows, once the states mirror has loaded (${Math.round(big.mirrorReadyMs)} ms after navigation start; until then filters read IndexedDB); ${vs(big.filterMs, base.filterMs)}`,
        },
        {
          name: 'scroll_p95_frame_ms',
          value: big.scroll.workP95Ms,
          unit: 'ms',
          target: '< 16',
          met: big.scroll.workP95Ms < 16,
          note: `main-thread work per frame, 240 frames scrolling 120 px each at ${LARGE.toLocaleString()}; ${vs(big.scroll.workP95Ms, base.scroll.workP95Ms)}; interval between frames p95 ${big.scroll.intervalP95Ms.toFixed(1)} ms, ${big.scroll.dropped} of 239 frames longer than two refreshes`,
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
    await stopHost(small.host)
    await stopHost(large.host)
    await small.remove()
    await large.remove()
  }
}
