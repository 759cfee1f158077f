import { afterEach, describe, expect, it } from 'vitest'
import { ok } from '../../../../src/shared/result'
import { Banners } from '../../../../src/renderer/src/shell/Banners'
import { render, settle, testServices, waitFor } from '../render'

/* Network loss, as the responder sees it: a banner while main's polling waits for the network. */

const BANNER = 'Offline — polling paused, will resume by itself'
let unmount: (() => void) | null = null
afterEach(() => {
  unmount?.()
  unmount = null
})

describe('the offline banner', () => {
  it('shows when main reports the network gone, and goes when it is back', async () => {
    const { services, fake } = testServices({
      'network:status': () => ok({ offline: false, since: null }),
    })
    const view = await render(<Banners />, services)
    unmount = view.unmount
    expect(view.container.textContent).not.toContain(BANNER)
    await settle(() => fake.emit('network:changed', { offline: true, since: 1_790_000_000_000 }))
    await waitFor(() => expect(view.container.textContent).toContain(BANNER))
    await settle(() => fake.emit('network:changed', { offline: false, since: null }))
    await waitFor(() => expect(view.container.textContent).not.toContain(BANNER))
  })

  it('shows at once when the page opens while main is already offline', async () => {
    const { services } = testServices({
      'network:status': () => ok({ offline: true, since: 1_790_000_000_000 }),
    })
    const view = await render(<Banners />, services)
    unmount = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain(BANNER))
  })
})
