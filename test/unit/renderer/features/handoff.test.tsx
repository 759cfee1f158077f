import { afterEach, describe, expect, it } from 'vitest'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { loadTimeline } from '../../../../src/renderer/src/db/actions'
import type { HandoffPacket } from '../../../../src/shared/handoff'
import { err, ok } from '../../../../src/shared/result'
import { mention } from '../fixtures'
import { button, click, render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const routing = {
  rules: [],
  departments: [
    { id: 'customer-service', name: 'Customer service', followUpHours: 24 },
    {
      id: 'pr',
      name: 'PR',
      email: 'pr@example.com',
      webhookUrl: 'https://hooks.example/services/SECRET',
      followUpHours: 4,
    },
  ],
}

async function panelFor(delivered: boolean | 'error') {
  const t = testServices({
    'routing:get': () => ok(routing),
    'handoff:send': () =>
      delivered === 'error'
        ? err('network', "PR's webhook at hooks.example could not be reached")
        : ok({ delivered, status: delivered ? 200 : 404 }),
  })
  const shown = mention(4, {
    text: 'Your CEO should answer for this outage',
    author: { id: 'demo:vip', name: 'Vera', handle: '@vera', followers: 90_000 },
    triage: { ...mention(4).triage, route: { department: 'pr', rules: ['press'] } },
  })
  await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
  t.services.store.getState().select(shown.id)
  const view = await render(<ContextPanel />, t.services)
  cleanup = view.unmount
  const section = await waitFor(() => {
    const found = view.container.querySelector<HTMLElement>('[aria-label="Hand off"]')
    if (!found) throw new Error('no hand-off yet')
    return found
  })
  await click(button(section, 'Hand off…'))
  const panel = await waitFor(() => {
    button(section, 'Send to PR')
    return section
  })
  return { ...t, panel, shown }
}

describe('the hand-off', () => {
  it('suggests the routed department, sends the packet, and waits on PR with a follow-up', async () => {
    const { panel, fake, services, shown } = await panelFor(true)
    const note = panel.querySelector('textarea') as HTMLTextAreaElement
    await settle(() => {
      Reflect.set(HTMLTextAreaElement.prototype, 'value', 'She is a journalist', note)
      note.dispatchEvent(new Event('input', { bubbles: true }))
    })
    await click(button(panel, 'Send to PR'))
    const call = fake.calls.find((c) => c.name === 'handoff:send')
    const input = call?.input as { departmentId: string; packet: HandoffPacket }
    expect(input.departmentId).toBe('pr')
    expect(input.packet.words).toBe('Your CEO should answer for this outage')
    expect(input.packet.note).toBe('She is a journalist')
    expect(input.packet.summary).toContain('Vera (@vera), 90,000 followers')
    await waitFor(async () => {
      const state = await services.db.states.get(shown.id)
      expect([state?.status, state?.department]).toEqual(['waiting', 'PR'])
    })
    const [row] = (await loadTimeline(services.db, shown.id)).filter((r) => r.kind === 'route')
    expect(row?.detail.until).toBe((row?.at ?? 0) + 4 * 3_600_000)
    expect(row?.detail.text).toMatch(/^Handed off to PR \(sent to its webhook\); follow up by/)
    await waitFor(() => expect(panel.textContent).toContain('Waiting on PR; follow up by'))
  })

  it('leaves the mention where it was when the webhook refuses, and says so', async () => {
    const { panel, services, shown } = await panelFor(false)
    await click(button(panel, 'Send to PR'))
    await waitFor(() =>
      expect(panel.textContent).toContain("PR's webhook refused the hand-off (404)"),
    )
    expect((await services.db.states.get(shown.id))?.status).toBe('open')
  })

  it('shows an unreachable webhook in words', async () => {
    const { panel } = await panelFor('error')
    await click(button(panel, 'Send to PR'))
    await waitFor(() => expect(panel.textContent).toContain('could not be reached'))
  })
})
