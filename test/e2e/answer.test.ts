import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listenOnLoopback } from '../fixtures/loopback'
import {
  account,
  BRAND_TOKEN,
  mentionNotification,
  startMastodonServer,
  status,
  type MastodonServer,
} from '../fixtures/mastodon-server'
import {
  clickShownNotification,
  repoRoot,
  shownNotifications,
  startApp,
  type AppSession,
} from './harness'
import { join } from 'node:path'

/* Answering, end to end on the web host: a Mastodon source with the brand's token on a loopback
   instance, a directed complaint arrives and raises a browser notification whose click opens it
   (the permission granted in the browser context), the responder reads the conversation, answers
   with "We hear you" by keyboard; the first attempt times out (unknown, resolved by the responder) and
   the instance still gets exactly one status. Then a mention is handed to PR's webhook. */

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

let app: AppSession
let mastodon: MastodonServer
let hook: { origin: string; close: () => Promise<void> }
const received: { path: string; body: { text: string; blocks: unknown[] } }[] = []

const erin = account('erin', { display_name: 'Erin' })
const root = status('113200000000000001', ago(40), 'Is #acme down for anyone else?', ['acme'], {
  account: account('carol', { display_name: 'Carol' }),
})
const complaint = status(
  '113200000000000002',
  ago(5),
  '@acme your outage broke my shop again, terrible, I want a refund now #acme',
  ['acme'],
  { account: erin, in_reply_to_id: root.id },
)
const complaintId = `mastodon:${complaint.uri}`
const rootId = `mastodon:${root.uri}`

beforeAll(async () => {
  mastodon = await startMastodonServer([root, complaint])
  mastodon.notifications.push(mentionNotification('900', complaint))
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(raw) as never })
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  hook = await listenOnLoopback(server)
  app = await startApp('earshot-e2e-answer-', { notifications: 'granted' })
}, 60_000)

afterAll(async () => {
  await app?.close()
  await mastodon?.close()
  await hook?.close()
})

const shot = (name: string) =>
  app.page.screenshot({ path: join(repoRoot, 'test-results', 'answer', `${name}.png`) })

describe('answering a mention', () => {
  it('answers by keyboard, exactly once even after a timeout, and the mention is Done', async () => {
    const { page } = app
    await app.setUpBrand('Acme')
    await page.getByRole('button', { name: 'Sources' }).click()
    await page.getByLabel('Mastodon', { exact: true }).check()
    await page.getByLabel('Instance', { exact: true }).fill(mastodon.origin)
    await page.getByLabel('Hashtags', { exact: true }).fill('#acme')
    await page.getByLabel('Access token (optional)').fill(BRAND_TOKEN)
    await page.getByRole('button', { name: 'Add Mastodon' }).click()

    await page.getByRole('button', { name: 'Queue' }).click()
    await page.getByRole('tab', { name: /^All/ }).click()
    await expect
      .poll(async () => (await app.queueIds('mastodon:')).sort(), { timeout: 30_000 })
      .toEqual([rootId, complaintId].sort())

    // The urgent complaint raised a browser notification; its click opens the mention. The
    // responder has meanwhile wandered off to another screen.
    await expect
      .poll(async () => (await shownNotifications(page)).map((n) => n.tag), { timeout: 15_000 })
      .toContain(complaintId)
    await page.getByRole('button', { name: 'Routing' }).click()
    // The Routing screen loads on first visit; the queue is gone once its heading shows.
    await page.getByRole('heading', { name: 'Routing', level: 1 }).waitFor()
    expect(await page.locator('[data-mention-id]').count()).toBe(0)
    await clickShownNotification(page, complaintId)
    const row = page.locator(`[data-mention-id="${complaintId}"]`)
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true')
    const panel = page.getByLabel('Mention details')
    await expect.poll(() => panel.textContent()).toContain('your outage broke my shop')
    // The conversation as the instance has it, the mention highlighted.
    const thread = panel.getByLabel('Conversation')
    await expect.poll(() => thread.textContent(), { timeout: 15_000 }).toContain('down for anyone')
    expect(await thread.locator('[aria-current="true"]').textContent()).toContain('broke my shop')

    // Keyboard: r to the template search, pick "We hear you", fill its field, Enter sends.
    mastodon.hangPosts = true
    await page.locator(`[data-mention-id="${complaintId}"]`).focus()
    await page.keyboard.press('r')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reply-area')
    await page.keyboard.type('hear')
    await page.keyboard.press('Enter')
    await page.keyboard.type('the outage')
    const reply = panel.getByLabel('Reply', { exact: true })
    await expect.poll(() => reply.textContent()).toContain('/ 500')
    await shot('composer')
    await page.keyboard.press('Enter')

    // The instance took the request but never answered: unknown, never resent on its own.
    await expect.poll(() => reply.textContent(), { timeout: 45_000 }).toContain('Unknown, check')
    expect(mastodon.posts).toHaveLength(1)
    await shot('composer-unknown')

    // The responder checks, sees no reply, and sends again: the same idempotency key.
    mastodon.hangPosts = false
    await reply.getByRole('button', { name: 'It was not posted: send again' }).click()
    await expect.poll(() => reply.textContent(), { timeout: 20_000 }).toContain('Sent')
    expect(mastodon.posted).toHaveLength(1)
    expect(mastodon.posted[0]?.in_reply_to_id).toBe(complaint.id)
    const keys = mastodon.posts.map((p) => p.headers['idempotency-key'])
    expect(keys).toHaveLength(2)
    expect(new Set(keys).size).toBe(1)
    expect(String(mastodon.posts[1]?.body['status'])).toContain('we hear you, and we')

    // Done, with the reply in the mention's timeline (and so in Erin's history).
    await expect.poll(() => panel.textContent()).toContain('Reopen')
    await expect.poll(() => panel.textContent()).toMatch(/Replied: Erin, we hear you/)
  }, 120_000)

  it('hands the other mention to PR, whose webhook receives the packet', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Routing' }).click()
    await page.getByRole('button', { name: 'Edit PR', exact: true }).click()
    await page.getByLabel('Webhook URL').fill(`${hook.origin}/services/T1/B2/SECRET`)
    await page.getByRole('button', { name: 'Save department' }).click()
    await expect
      .poll(() => page.getByRole('list', { name: 'Departments' }).textContent())
      .toContain(new URL(hook.origin).host)

    await page.getByRole('button', { name: 'Queue' }).click()
    await page.getByRole('tab', { name: /^All/ }).click()
    await page.locator(`[data-mention-id="${rootId}"]`).click()
    const handoff = page.getByLabel('Mention details').getByLabel('Hand off')
    await handoff.getByRole('button', { name: 'Hand off…' }).click()
    await handoff.getByLabel('Department', { exact: true }).selectOption({ label: 'PR' })
    await handoff.getByLabel('Note for the department').fill('Several customers see the outage')
    await shot('handoff')
    await handoff.getByRole('button', { name: 'Send to PR' }).click()
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1)
    expect(received[0]?.path).toBe('/services/T1/B2/SECRET')
    expect(received[0]?.body.text).toContain('> Is #acme down for anyone else?')
    expect(received[0]?.body.text).toContain('Several customers see the outage')
    await expect.poll(() => handoff.textContent()).toContain('Waiting on PR; follow up by')
    await shot('handoff-sent')
  }, 60_000)

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
