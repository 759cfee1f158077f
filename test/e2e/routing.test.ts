import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, startApp, type AppSession } from './harness'

/*
 * Routing end to end: the Demo's mentions arrive routed by the default rules, the context panel
 * says where each went, and the Routing screen edits the rules. Screenshots go to test-results/.
 */

let app: AppSession
const shots = join(repoRoot, 'test-results')

beforeAll(async () => {
  await mkdir(shots, { recursive: true })
  app = await startApp('earshot-e2e-routing-')
  await app.setUpBrand('Acme')
})
afterAll(async () => {
  await app?.close()
})

describe('routing', () => {
  it('shows where the default rules routed a Demo mention with a lawyer in it', async () => {
    const { page } = app
    // Overheard mentions land in Watching, directed ones in Inbox: All shows both.
    await page.getByRole('tab', { name: /^All/ }).click()
    const row = page.locator('[data-mention-id]', { hasText: 'talking to my bank and a lawyer' })
    await row.first().waitFor({ timeout: 60_000 })
    await row.first().click()
    const panel = page.getByLabel('Mention details')
    await expect
      .poll(() => panel.locator('.route-summary').textContent(), { timeout: 10_000 })
      .toBe('Routed to PR and Executives (rule: Crisis words)')
    await page.screenshot({ path: join(shots, 'routing-context-panel.png') })
  })

  it('lists the rules and departments, and edits a rule from the header', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Routing' }).click()
    const rules = page.getByRole('list', { name: 'Rules' })
    await expect
      .poll(() => rules.locator('.rule__name').allTextContents())
      .toEqual(['Crisis words', 'Complaints', 'Ideas', 'Praise'])
    await page.screenshot({ path: join(shots, 'routing-screen.png'), fullPage: true })

    await page.getByRole('button', { name: 'Add rule' }).click()
    await page.getByRole('button', { name: 'Add rule' }).last().click()
    await page.getByText('Give the rule a name').waitFor()
    await page.screenshot({ path: join(shots, 'routing-rule-form.png'), fullPage: true })
    await page.getByLabel('Rule name').fill('Outages')
    await page.getByLabel('contains any of these words').fill('outage, down again')
    await page.getByLabel('route it to').selectOption({ label: 'Customer service' })
    await page.getByLabel('set urgency to').fill('90')
    await page.getByRole('button', { name: 'Add rule' }).last().click()
    await expect
      .poll(() => rules.locator('.rule__name').allTextContents())
      .toEqual(['Crisis words', 'Complaints', 'Ideas', 'Praise', 'Outages'])
    await page.getByRole('button', { name: 'Move Outages up' }).click()
    await expect
      .poll(() => rules.locator('.rule__name').allTextContents())
      .toEqual(['Crisis words', 'Complaints', 'Ideas', 'Outages', 'Praise'])
  })

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
