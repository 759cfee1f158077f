import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { openJournal } from '../../src/main/journal/journal'
import { silentLogger } from '../../src/main/log'
import type { Mention } from '../../src/shared/domain'

/* Starts the built web host as a child process and drives Debian's Chromium against it. */

export const repoRoot = join(import.meta.dirname, '..', '..')

/** Chromium from CHROME_PATH or Debian's package; says how to get one when neither exists. */
export function chromiumPath(): string {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter((p): p is string => Boolean(p))
  const found = candidates.find((p) => existsSync(p))
  if (!found) {
    throw new Error(
      'No Chromium found for the browser tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or point CHROME_PATH at a Chrome or Chromium binary.',
    )
  }
  return found
}

/** Debian's Chromium, headless, without the sandbox, the GPU or any call home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS })
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export type HostProcess = { url: string; child: ChildProcess; output: () => string }

/** Runs `node out/main/web.js` and resolves once it prints its address. */
export async function startHost(port: number, dataDir: string): Promise<HostProcess> {
  const entry = join(repoRoot, 'out', 'main', 'web.js')
  if (!existsSync(entry)) throw new Error('out/main/web.js is missing: run `npm run build` first')
  const child = spawn(
    process.execPath,
    [entry, '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 20_000)
    const check = () => {
      const match = /Earshot is running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`web host exited with ${code}:\n${output}`))
    })
  })
  return { url, child, output: () => output }
}

/** Stops the host: SIGTERM for a clean stop, SIGKILL for a crash. */
export async function stopHost(
  host: HostProcess,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()))
  host.child.kill(signal)
  await exited
}

/**
 * A data folder as the core leaves it when it has heard `total` mentions the page has not stored:
 * an Acme profile, no sources, and the mentions waiting in the journal in batches of `batch` from
 * `sourceId`, made by `make(n)`.
 */
export async function seedJournal(
  dataDir: string,
  options: { total: number; batch: number; sourceId: string; make: (n: number) => Mention },
): Promise<void> {
  const { total, batch, sourceId, make } = options
  const profile = { brand: 'Acme', handles: [], products: [], competitors: [], excluded: [] }
  await writeFile(join(dataDir, 'profile.json'), JSON.stringify({ version: 1, profile }))
  await writeFile(join(dataDir, 'sources.json'), JSON.stringify({ version: 1, sources: [] }))
  const journal = await openJournal({
    journalPath: join(dataDir, 'journal.jsonl'),
    statePath: join(dataDir, 'delivery.json'),
    logger: silentLogger,
  })
  for (let start = 0; start < total; start += batch) {
    const count = Math.min(batch, total - start)
    const mentions = Array.from({ length: count }, (_, i) => make(start + i))
    await journal.append(sourceId, { seen: start + count }, mentions)
  }
  await journal.close()
}

export async function tempDir(
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export type Recorded = {
  errors: string[]
  notifications: () => Promise<{ title: string; body: string; tag: string }[]>
}

/**
 * Headless Chromium shows no notifications, so in this context `Notification` is replaced by a
 * recorder whose `onclick` the test can fire, exactly as a click on the real one would.
 */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const created: { title: string; body: string; tag: string; onclick: (() => void) | null }[] = []
    class RecordingNotification {
      static permission = 'granted'
      static requestPermission = () => Promise.resolve('granted')
      onclick: (() => void) | null = null
      constructor(title: string, options: { body?: string; tag?: string } = {}) {
        const entry: (typeof created)[number] = {
          title,
          body: options.body ?? '',
          tag: options.tag ?? '',
          onclick: null,
        }
        created.push(entry)
        Object.defineProperty(this, 'onclick', {
          get: () => entry.onclick,
          set: (fn: (() => void) | null) => (entry.onclick = fn),
        })
      }
      close() {}
    }
    Object.defineProperty(globalThis, 'Notification', {
      value: RecordingNotification,
      configurable: true,
    })
    Object.defineProperty(globalThis, '__notifications', { value: created })
  })
}

/**
 * Grants the page's origin the notification permission in this context (as the responder's "Allow"
 * would) and keeps every real `Notification` the page creates, so a test can click one: it
 * dispatches the `click` event on the page's own object, which runs the `onclick` the app set.
 */
export async function grantNotifications(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['notifications'], { origin })
  await context.addInitScript(() => {
    const Real = globalThis.Notification
    const kept: Notification[] = []
    class KeptNotification extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        kept.push(this)
      }
    }
    Object.defineProperty(globalThis, 'Notification', {
      value: KeptNotification,
      configurable: true,
    })
    Object.defineProperty(globalThis, '__keptNotifications', { value: kept })
  })
}

/** The tags of the real notifications the page has shown (see `grantNotifications`). */
export const shownNotifications = (page: Page): Promise<{ title: string; tag: string }[]> =>
  page.evaluate(() =>
    (globalThis as unknown as { __keptNotifications: Notification[] }).__keptNotifications.map(
      (n) => ({ title: n.title, tag: n.tag }),
    ),
  )

/** Clicks the page's real notification for `tag`, as the OS would on the responder's click. */
export async function clickShownNotification(page: Page, tag: string): Promise<void> {
  await page.evaluate((wanted) => {
    const list = (globalThis as unknown as { __keptNotifications: Notification[] })
      .__keptNotifications
    const found = list.find((n) => n.tag === wanted)
    if (!found) throw new Error(`no notification for ${wanted}`)
    if (!found.onclick) throw new Error(`the app set no click handler on ${wanted}`)
    found.dispatchEvent(new Event('click'))
  }, tag)
}

/** Opens a page, collecting its console errors and uncaught exceptions into `errors`. */
export async function openPage(
  context: BrowserContext,
  url: string,
  errors: string[] = [],
): Promise<{ page: Page; recorded: Recorded }> {
  const page = await context.newPage()
  const recorded: Recorded = {
    errors,
    notifications: () =>
      page.evaluate(() =>
        (
          globalThis as unknown as {
            __notifications: { title: string; body: string; tag: string }[]
          }
        ).__notifications.map(({ title, body, tag }) => ({ title, body, tag })),
      ),
  }
  page.on('console', (message) => {
    if (message.type() === 'error') recorded.errors.push(message.text())
  })
  page.on('pageerror', (error) => recorded.errors.push(error.message))
  await page.goto(url)
  return { page, recorded }
}
/** Fires the click of the recorded notification for `tag`, as the OS would. */
export async function clickNotification(page: Page, tag: string): Promise<void> {
  await page.evaluate((wanted) => {
    const list = (
      globalThis as unknown as { __notifications: { tag: string; onclick: (() => void) | null }[] }
    ).__notifications
    const found = list.find((n) => n.tag === wanted)
    if (!found?.onclick) throw new Error(`no clickable notification for ${wanted}`)
    found.onclick()
  }, tag)
}

export type AppSession = {
  host: HostProcess
  page: Page
  /** Console errors and uncaught exceptions of the page. */
  errors: string[]
  /** Ids of the queue rows on screen whose id starts with `prefix` (e.g. `hn:`). */
  queueIds: (prefix: string) => Promise<string[]>
  /** Saves a brand profile with just the name, through the first-run form. */
  setUpBrand: (brand: string) => Promise<void>
  close: () => Promise<void>
}

/**
 * A fresh data folder, a web host on a free port, and a page on it: one source's e2e test.
 * `notifications: 'granted'` allows the page's browser notifications (see `grantNotifications`).
 */
export async function startApp(
  prefix: string,
  options: { notifications?: 'granted' } = {},
): Promise<AppSession> {
  const data = await tempDir(prefix)
  const host = await startHost(await freePort(), data.path)
  const browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  if (options.notifications === 'granted')
    await grantNotifications(context, new URL(host.url).origin)
  const errors: string[] = []
  const { page } = await openPage(context, host.url, errors)
  return {
    host,
    page,
    errors,
    queueIds: async (idPrefix) =>
      (
        await page
          .locator('[aria-label="Mentions"] [data-mention-id]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-mention-id') ?? ''))
      ).filter((id) => id.startsWith(idPrefix)),
    setUpBrand: async (brand) => {
      await page.getByLabel('Brand name').fill(brand)
      await page.getByRole('button', { name: 'Save brand' }).click()
      await page.getByRole('button', { name: 'Sources' }).waitFor()
    },
    close: async () => {
      await browser.close()
      await stopHost(host)
      await data.remove()
    },
  }
}

/**
 * Waits for a source just added on the Sources screen: its card titled `heading`, then its first
 * poll's `items`. Returns the list of sources, for more checks on the card.
 */
export async function sourceListed(page: Page, heading: string, items: number) {
  const list = page.getByRole('list', { name: 'Sources' })
  await list.getByRole('heading', { name: heading }).waitFor({ timeout: 30_000 })
  await page.waitForFunction(
    ([text]) =>
      new RegExp(`Items so far\\s*${text}`, 'i').test(
        document.querySelector('[aria-label="Sources"]')?.textContent ?? '',
      ),
    [String(items)],
    { timeout: 30_000 },
  )
  return list
}

/** Opens the queue on All: overheard mentions land in Watching, directed ones in Inbox. */
export async function showAllMentions(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Queue' }).click()
  await page.getByRole('tab', { name: /^All/ }).click()
}
