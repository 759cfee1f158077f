import { afterEach, describe, expect, it } from 'vitest'
import { loadTimeline } from '../../../../src/renderer/src/db/actions'
import { applyCorrection, correctionWords } from '../../../../src/renderer/src/db/corrections'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import type { Triage } from '../../../../src/shared/domain'
import { err, ok } from '../../../../src/shared/result'
import { mention } from '../fixtures'
import { button, click, render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** The fixture mentions read as negative; the responder says this one is praise. */
const praised = (base: Triage): Triage => ({
  ...base,
  intent: 'praise',
  urgency: 12,
  sentiment: { ...base.sentiment, label: 'positive', score: 3, comparative: 0.4 },
  reasons: [
    { code: 'learned:sentiment', label: 'Learned from your corrections: positive', points: 0 },
  ],
})

const choose = async (container: HTMLElement, label: string, value: string) => {
  const select = [...container.querySelectorAll('label')].find((l) => l.textContent === label)
    ?.control as HTMLSelectElement | null
  if (!select) throw new Error(`No field ${label}`)
  await settle(() => {
    select.value = value
    select.dispatchEvent(new Event('change', { bubbles: true }))
  })
}

describe('correcting triage', () => {
  it('stores the re-scored triage, moves the mention to the views it now belongs to, and logs it', async () => {
    const t = testServices()
    const m = mention(2)
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [m] })
    const state = await applyCorrection(
      t.services.db,
      m.id,
      { sentiment: 'positive' },
      praised(m.triage),
      5_000,
    )
    expect(m.triage.sentiment.label).toBe('negative')
    expect(state).toMatchObject({ sentiment: 'positive', intent: 'praise', urgency: 12 })
    expect((await t.services.db.mentions.get(m.id))?.triage.sentiment.label).toBe('positive')
    expect((await loadTimeline(t.services.db, m.id)).map((a) => a.detail.text)).toEqual([
      'Corrected sentiment → positive',
    ])
    expect(await applyCorrection(t.services.db, 'demo:404', {}, m.triage)).toBeNull()
  })

  it('says every corrected answer in the timeline', () => {
    expect(correctionWords({ intent: 'complaint', sentiment: 'negative', urgent: false })).toBe(
      'Corrected intent → complaint, sentiment → negative, urgent → no',
    )
  })

  it('teaches main only what changed and shows the learned reason', async () => {
    const m = mention(2)
    const t = testServices({
      'triage:correct': () => ok({ triage: praised(m.triage), corrections: 1 }),
    })
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [m] })
    t.services.store.getState().select(m.id)
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    await waitFor(() => button(view.container, 'Correct intent, sentiment or urgency…'))
    await click(button(view.container, 'Correct intent, sentiment or urgency…'))
    // Nothing changed yet: nothing to teach.
    expect(button(view.container, 'Teach Earshot').disabled).toBe(true)
    await choose(view.container, 'Sentiment', 'positive')
    await click(button(view.container, 'Teach Earshot'))
    await waitFor(() =>
      expect(t.services.store.getState().toasts.map((toast) => toast.body)).toContain(
        'Earshot has now learned from 1 correction.',
      ),
    )
    const sent = t.fake.calls.find((c) => c.name === 'triage:correct')?.input
    expect(sent).toMatchObject({ text: m.text, platform: m.platform, sentiment: 'positive' })
    expect(sent).not.toHaveProperty('intent')
    await waitFor(() =>
      expect(view.container.textContent).toContain('Learned from your corrections: positive'),
    )
  })

  it('explains a refusal and changes nothing', async () => {
    const m = mention(2)
    const t = testServices({ 'triage:correct': () => err('invalid-input', 'Text too long') })
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [m] })
    t.services.store.getState().select(m.id)
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    await waitFor(() => button(view.container, 'Correct intent, sentiment or urgency…'))
    await click(button(view.container, 'Correct intent, sentiment or urgency…'))
    await choose(view.container, 'Intent', 'idea')
    await click(button(view.container, 'Teach Earshot'))
    await waitFor(() =>
      expect(view.container.textContent).toContain('Earshot could not learn this: Text too long'),
    )
    expect((await t.services.db.mentions.get(m.id))?.triage).toEqual(m.triage)
    expect(await loadTimeline(t.services.db, m.id)).toEqual([])
  })
})
