import { afterEach, describe, expect, it, vi } from 'vitest'
import { SetupScreen } from '../../../../src/renderer/src/features/setup/SetupScreen'
import type { BrandProfile } from '../../../../src/shared/domain'
import { err, ok } from '../../../../src/shared/result'
import { button, click, field, press, render, testServices, type, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

async function setupForm(initial: BrandProfile | null = null) {
  const t = testServices({
    'profile:save': ({ profile }: { profile: BrandProfile }) => ok(profile),
  })
  const onSaved = vi.fn()
  const view = await render(<SetupScreen initial={initial} onSaved={onSaved} />, t.services)
  cleanup = view.unmount
  return { ...t, onSaved, form: view.container }
}

const saves = (calls: { name: string; input: unknown }[]) =>
  calls.filter((call) => call.name === 'profile:save')

describe('brand setup', () => {
  it('blocks saving without a brand name and says why', async () => {
    const { form, fake, onSaved } = await setupForm()
    await click(button(form, 'Save brand'))
    expect(form.querySelector('[role="alert"]')?.textContent).toContain('Enter the brand name')
    expect(field(form, 'Brand name').getAttribute('aria-invalid')).toBe('true')
    expect(saves(fake.calls)).toEqual([])
    expect(onSaved).not.toHaveBeenCalled()
  })

  it('saves the brand, handles and tags; blank handle rows are dropped', async () => {
    const { form, fake, onSaved } = await setupForm()
    await type(field(form, 'Brand name'), '  Acme ')
    const handle = form.querySelector('[aria-label="Handle 1"]') as HTMLInputElement
    await type(handle, '@acme@mastodon.social')
    await click(button(form, 'Add handle'))
    const products = field(form, 'Product names')
    await type(products, 'Acme Cloud')
    await press(products, 'Enter')
    await type(products, 'Anvil, Rocket,')
    await type(field(form, 'Words to exclude'), 'looney')
    await press(field(form, 'Words to exclude'), 'Enter')
    await click(button(form, 'Remove Rocket'))
    await click(button(form, 'Save brand'))
    const expected: BrandProfile = {
      brand: 'Acme',
      handles: [{ platform: 'mastodon', handle: '@acme@mastodon.social' }],
      products: ['Acme Cloud', 'Anvil'],
      competitors: [],
      excluded: ['looney'],
    }
    expect(saves(fake.calls)).toEqual([{ name: 'profile:save', input: { profile: expected } }])
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expected))
  })

  it('shows the error from the host inline', async () => {
    const { form, fake, onSaved } = await setupForm()
    fake.handlers['profile:save'] = () => err('internal', 'Could not write profile.json')
    await type(field(form, 'Brand name'), 'Acme')
    await click(button(form, 'Save brand'))
    await waitFor(() =>
      expect(form.querySelector('[role="alert"]')?.textContent).toBe(
        'Could not write profile.json',
      ),
    )
    expect(onSaved).not.toHaveBeenCalled()
  })

  it('edits an existing profile', async () => {
    const initial: BrandProfile = {
      brand: 'Acme',
      handles: [{ platform: 'bluesky', handle: 'acme.bsky.social' }],
      products: ['Anvil'],
      competitors: ['Globex'],
      excluded: [],
    }
    const { form, fake } = await setupForm(initial)
    expect(field(form, 'Brand name').value).toBe('Acme')
    await click(button(form, 'Remove Globex'))
    await click(button(form, 'Save brand'))
    expect(saves(fake.calls)[0]?.input).toEqual({ profile: { ...initial, competitors: [] } })
  })
})
