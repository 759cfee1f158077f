import { afterEach, describe, expect, it, vi } from 'vitest'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { ok } from '../../../../src/shared/result'
import { mention } from '../fixtures'
import { button, click, render, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

async function panelFor(overrides: Parameters<typeof mention>[1] = {}) {
  const t = testServices({ 'shell:openExternal': () => ok({}) })
  const shown = mention(1, overrides)
  await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
  t.services.store.getState().select(shown.id)
  const view = await render(<ContextPanel />, t.services)
  cleanup = view.unmount
  const panel = view.container.querySelector('[aria-label="Mention details"]') as HTMLElement
  await waitFor(() => expect(panel.textContent).toContain(shown.text))
  return { ...t, panel, shown }
}

describe('the context panel', () => {
  it('invites a selection when nothing is selected', async () => {
    const t = testServices()
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    expect(view.container.textContent).toContain('Pick a mention to read it here')
  })

  it('marks the mention done in Dexie, then reopens it', async () => {
    const { services, panel } = await panelFor()
    await click(button(panel, 'Mark done'))
    await waitFor(async () => expect((await services.db.states.get('demo:1'))?.status).toBe('done'))
    await waitFor(() => button(panel, 'Reopen'))
    expect((await services.db.states.get('demo:1'))?.status).toBe('done')
    await click(button(panel, 'Reopen'))
    await waitFor(() => button(panel, 'Mark done'))
    expect((await services.db.states.get('demo:1'))?.status).toBe('open')
  })

  it('renders untrusted text literally, keeping line breaks, and never as a link', async () => {
    const hostile = 'first line\n<img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>'
    const { panel } = await panelFor({ text: hostile, title: '<b>bold?</b>' })
    expect(panel.querySelector('img, b, script')).toBeNull()
    expect(panel.querySelector('a')).toBeNull()
    expect(panel.querySelector('.details__text')?.textContent).toBe(hostile)
    expect(panel.textContent).toContain('<b>bold?</b>')
  })

  it('opens the original through the host, showing the URL as text', async () => {
    const { panel, fake, shown } = await panelFor()
    expect(panel.textContent).toContain(shown.url)
    await click(button(panel, 'Open original'))
    expect(fake.calls).toContainEqual({ name: 'shell:openExternal', input: { url: shown.url } })
  })

  it('makes the links in a post clickable, opened through the host', async () => {
    const text = 'Still down, see https://status.acme.example/incidents/42. And javascript:alert(1)'
    const { panel, fake } = await panelFor({ text })
    const links = [...panel.querySelectorAll('.details__text a')] as HTMLAnchorElement[]
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://status.acme.example/incidents/42',
    ])
    expect(links[0]?.rel).toBe('noopener noreferrer')
    expect(panel.querySelector('.details__text')?.textContent).toBe(text)
    await click(links[0] as HTMLElement)
    expect(fake.calls).toContainEqual({
      name: 'shell:openExternal',
      input: { url: 'https://status.acme.example/incidents/42' },
    })
  })

  it('opens the link in a new tab when the web host leaves it to the page', async () => {
    const opened = vi.spyOn(window, 'open').mockReturnValue(null)
    try {
      const t = testServices({ 'shell:openExternal': () => ok({ openedBy: 'page' }) })
      const shown = mention(1)
      await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
      t.services.store.getState().select(shown.id)
      const view = await render(<ContextPanel />, t.services)
      cleanup = view.unmount
      await waitFor(() => button(view.container, 'Open original'))
      await click(button(view.container, 'Open original'))
      await waitFor(() =>
        expect(opened.mock.calls).toEqual([[shown.url, '_blank', 'noopener,noreferrer']]),
      )
    } finally {
      opened.mockRestore()
    }
  })

  it('shows the reasons, the words that drove the sentiment, and directed or overheard', async () => {
    const { panel } = await panelFor()
    expect(panel.querySelector('[aria-label="Reasons"]')?.textContent).toContain('negative')
    expect(panel.querySelector('[aria-label="Words that drove it"]')?.textContent).toContain(
      'broken',
    )
    expect(panel.textContent).toContain('Overheard')
  })

  it("says when the post is the brand's own, and that it sits apart", async () => {
    const base = mention(1)
    const { panel } = await panelFor({ triage: { ...base.triage, directed: false, own: true } })
    expect(panel.querySelector('.details__meta')?.textContent).toContain("Brand's own")
    expect(panel.querySelector('.details__meta')?.textContent).toContain('Own post')
    expect(panel.textContent).not.toContain('Overheard')
  })

  it('shows the intent as a chip, and a mention stored before intent as "Other"', async () => {
    const { panel } = await panelFor()
    expect(panel.querySelector('[aria-label="Intent"] .pill')?.textContent).toBe('Other')
    cleanup?.()
    const complaint = mention(1)
    const { panel: scored } = await panelFor({
      triage: { ...complaint.triage, intent: 'complaint' },
    })
    expect(scored.querySelector('[aria-label="Intent"] .pill')?.textContent).toBe('Complaint')
  })
})
