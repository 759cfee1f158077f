import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  account,
  startMastodonServer,
  status,
  type MastodonServer,
} from '../fixtures/mastodon-server'
import { showAllMentions, sourceListed, startApp, type AppSession } from './harness'

/* Mastodon hashtags, end to end: add them against a loopback instance and hear the tagged
   statuses in the queue, linked to the post on its home server. */

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

let app: AppSession
let mastodon: MastodonServer

const mastodonRowIds = () => app.queueIds('mastodon:')

beforeAll(async () => {
  mastodon = await startMastodonServer([
    status('113200000000000001', ago(30), 'Acme Cloud outage again? Refund please.', ['acme'], {
      account: account('carol', { acct: 'carol@chaos.example', display_name: 'Carol' }),
      uri: 'https://chaos.example/users/carol/statuses/42',
      url: 'https://chaos.example/@carol/42',
    }),
    status('113200000000000002', ago(10), 'Trying the new Acme dashboard', ['acmecloud']),
    status('113200000000000003', ago(5), 'Bread timer', ['baking']),
  ])
  app = await startApp('earshot-e2e-mastodon-')
})

afterAll(async () => {
  await app?.close()
  await mastodon?.close()
})

describe('Mastodon hashtags in the browser', () => {
  it('adds hashtags on an instance and shows their statuses in the queue', async () => {
    const { page } = app
    await app.setUpBrand('Acme')
    await page.getByRole('button', { name: 'Sources' }).click()

    await page.getByLabel('Mastodon', { exact: true }).check()
    await page.getByLabel('Instance', { exact: true }).fill(mastodon.origin)
    await page.getByLabel('Hashtags', { exact: true }).fill('#acme #AcmeCloud')
    await page.getByRole('button', { name: 'Add Mastodon' }).click()

    const list = await sourceListed(page, '#acme #AcmeCloud on 127.0.0.1', 2)
    expect(await list.textContent()).toContain('#acme #AcmeCloud@127.0.0.1')

    await showAllMentions(page)
    await expect
      .poll(async () => (await mastodonRowIds()).sort(), { timeout: 30_000 })
      .toEqual([
        'mastodon:https://chaos.example/users/carol/statuses/42',
        'mastodon:https://mastodon.example/users/carol/statuses/113200000000000002',
      ])
    const asked = mastodon.requests.map((r) => r.path)
    expect(asked).toContain('/api/v1/timelines/tag/acme')
    expect(asked).toContain('/api/v1/timelines/tag/acmecloud')
    expect(asked).not.toContain('/api/v1/timelines/tag/baking')

    await page
      .locator('[data-mention-id="mastodon:https://chaos.example/users/carol/statuses/42"]')
      .click()
    const panel = page.getByLabel('Mention details')
    await expect.poll(() => panel.textContent()).toMatch(/outage again\? Refund please/)
    expect(await panel.textContent()).toContain('https://chaos.example/@carol/42')
  })

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
