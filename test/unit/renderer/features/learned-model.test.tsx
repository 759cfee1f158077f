import { afterEach, describe, expect, it } from 'vitest'
import { LearnedModel } from '../../../../src/renderer/src/features/routing/LearnedModel'
import { MODEL_CHUNK_CHARS } from '../../../../src/shared/contract'
import { err, ok } from '../../../../src/shared/result'
import { button, click, render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const learned = {
  corrections: 42,
  byKind: { sentiment: 30, intent: 10, urgent: 2 },
  updatedAt: Date.now() - 60_000,
}
const empty = { corrections: 0, byKind: { sentiment: 0, intent: 0, urgent: 0 }, updatedAt: null }

/** A fake main holding one model; import parts are collected and checked like main does. */
function host(initial: typeof learned | typeof empty) {
  let model: typeof learned | typeof empty = initial
  const parts: string[] = []
  const t = testServices({
    'triage:model': () => ok(model),
    'triage:resetModel': () => ok((model = empty)),
    'triage:exportModel': () => ok({ json: '{"version":1}' }),
    'triage:importModel': (input: never) => {
      const { index, count, chunk } = input as { index: number; count: number; chunk: string }
      parts[index] = chunk
      if (index < count - 1) return ok(null)
      const text = parts.join('')
      if (!text.startsWith('{'))
        return err('invalid-input', 'This file is not a model exported by Earshot')
      return ok((model = { ...learned, corrections: 7 }))
    },
  })
  return { ...t, parts }
}

async function choose(input: HTMLInputElement, file: File) {
  await settle(() => {
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    input.dispatchEvent(new Event('change', { bubbles: true }))
  })
}

describe('what triage learned', () => {
  it('says how much it learned, and forgets it only after a confirmation', async () => {
    const t = host(learned)
    const view = await render(<LearnedModel />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('42 corrections'))
    expect(view.container.textContent).toContain('30 of sentiment, 10 of intent, 2 of urgency')
    await click(button(view.container, 'Reset…'))
    expect(t.fake.calls.some((call) => call.name === 'triage:resetModel')).toBe(false)
    await click(button(view.container, 'Keep them'))
    await click(button(view.container, 'Reset…'))
    await click(button(view.container, 'Forget them'))
    await waitFor(() => expect(view.container.textContent).toContain('Forgot every correction'))
    expect(view.container.textContent).toContain('Nothing yet')
    expect(button(view.container, 'Export model').disabled).toBe(true)
  })

  it('imports a model larger than one message in parts, then shows the new counts', async () => {
    const t = host(empty)
    const view = await render(<LearnedModel />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('Nothing yet'))
    const big = `{"padding":"${'x'.repeat(MODEL_CHUNK_CHARS * 2)}"}`
    const input = view.container.querySelector<HTMLInputElement>('input[type="file"]')!
    await choose(input, new File([big], 'model.json', { type: 'application/json' }))
    await waitFor(() => expect(view.container.textContent).toContain('Imported model.json'))
    expect(t.parts).toHaveLength(3)
    expect(t.parts.join('')).toBe(big)
    expect(view.container.textContent).toContain('7 corrections')
  })

  it('says why a file was refused, keeping what it showed', async () => {
    const t = host(learned)
    const view = await render(<LearnedModel />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('42 corrections'))
    const input = view.container.querySelector<HTMLInputElement>('input[type="file"]')!
    await choose(input, new File(['tweet_id,text'], 'tweets.csv'))
    await waitFor(() =>
      expect(view.container.querySelector('[role="alert"]')?.textContent).toContain(
        'not a model exported by Earshot',
      ),
    )
    expect(view.container.textContent).toContain('42 corrections')
  })
})
