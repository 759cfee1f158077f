import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  account,
  startMastodonServer,
  status,
  type MastodonServer,
} from '../fixtures/mastodon-server'
import { repoRoot, startApp, type AppSession } from './harness'

/* "Answered elsewhere", end to end: the brand's own Mastodon account answered a complaint on the
   instance itself; the poller hears both, and the complaint is Done with that reply shown, so
   nobody answers twice. */

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

let app: AppSession
let mastodon: MastodonServer

const complaint = status(
  '113300000000000001',
  ago(20),
  'My #acme invoice is wrong, again',
  ['acme'],
  { account: account('erin', { id: '109000000000000201', display_name: 'Erin' }) },
)
const answer = status(
  '113300000000000002',
  ago(8),
  '@erin sorry about that, we have corrected the invoice',
  ['acme'],
  {
    account: account('acme', { id: '109000000000000202', display_name: 'Acme' }),
    in_reply_to_id: complaint.id,
    in_reply_to_account_id: '109000000000000201',
  },
)
const complaintId = `mastodon:${complaint.uri}`

beforeAll(async () => {
  mastodon = await startMastodonServer([complaint, answer])
  app = await startApp('earshot-e2e-elsewhere-')
}, 60_000)

afterAll(async () => {
  await app?.close()
  await mastodon?.close()
})

describe('answered elsewhere', () => {
  it('marks the complaint the brand answered on Mastodon as Done and shows the reply', async () => {
    const { page } = app
    await page.getByLabel('Brand name').fill('Acme')
    await page.getByLabel('Platform 1').selectOption('mastodon')
    // The brand's account as the connector names it: user@ the instance it is read from.
    await page.getByLabel('Handle 1').fill(`@acme@${new URL(mastodon.origin).hostname}`)
    await page.getByRole('button', { name: 'Save brand' }).click()
    await page.getByRole('button', { name: 'Sources' }).click()
    await page.getByLabel('Mastodon', { exact: true }).check()
    await page.getByLabel('Instance', { exact: true }).fill(mastodon.origin)
    await page.getByLabel('Hashtags', { exact: true }).fill('#acme')
    await page.getByRole('button', { name: 'Add Mastodon' }).click()

    await page.getByRole('button', { name: 'Queue' }).click()
    await page.getByRole('tab', { name: /^Done/ }).click()
    // Stored and marked without the responder opening it.
    await expect.poll(() => app.queueIds('mastodon:'), { timeout: 30_000 }).toEqual([complaintId])

    await page.locator(`[data-mention-id="${complaintId}"]`).click()
    const panel = page.getByLabel('Mention details')
    const brand = `@acme@${new URL(mastodon.origin).hostname}`
    const elsewhere = panel.getByLabel('Answered elsewhere')
    await expect.poll(() => elsewhere.textContent()).toContain(`${brand} replied`)
    expect(await elsewhere.textContent()).toContain('we have corrected the invoice')
    expect(await elsewhere.textContent()).toContain(answer.url)
    expect(await panel.getByLabel('Timeline').textContent()).toContain(
      `Answered elsewhere by ${brand}`,
    )
    expect(await panel.locator('.composer__warning').textContent()).toContain(
      `Already answered elsewhere by ${brand}`,
    )
    await page.screenshot({ path: join(repoRoot, 'test-results', 'elsewhere', 'panel.png') })
  }, 90_000)

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
