import { afterEach, describe, expect, it, vi } from 'vitest'
import { SourcesScreen } from '../../../../src/renderer/src/features/sources/SourcesScreen'
import type { OpmlImport } from '../../../../src/shared/contract'
import type { SourceView } from '../../../../src/shared/domain'
import { err, ok } from '../../../../src/shared/result'
import { button, click, render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  vi.restoreAllMocks()
})

const health: SourceView['health'] = {
  state: 'waiting',
  lastSuccessAt: null,
  lastErrorAt: null,
  lastError: null,
  itemsTotal: 0,
  nextCheckAt: Date.now() + 60_000,
  consecutiveFailures: 0,
}
const feed = (id: string, name: string): SourceView => ({
  config: {
    id,
    kind: 'rss',
    name,
    url: `https://${id}.example/feed`,
    paused: false,
    intervalSec: 900,
    createdAt: 0,
  },
  health,
})
const demo: SourceView = {
  config: { id: 'demo', kind: 'demo', name: 'Demo', paused: false, intervalSec: 60, createdAt: 0 },
  health,
}

const SUBSCRIPTIONS = `<?xml version="1.0"?><opml version="1.0"><body>
<outline text="Forum" xmlUrl="https://forum.example/feed"/></body></opml>`

async function screen(sources: SourceView[], handlers: Parameters<typeof testServices>[0] = {}) {
  const t = testServices(handlers)
  t.services.store.getState().setSources(sources)
  const view = await render(<SourcesScreen />, t.services)
  cleanup = view.unmount
  return { ...t, page: view.container }
}

/** Chooses `file` in the hidden OPML picker, as the file dialog would. */
async function choose(page: HTMLElement, file: File) {
  const picker = page.querySelector<HTMLInputElement>('input[aria-label="OPML file to import"]')
  if (!picker) throw new Error('no OPML picker')
  Object.defineProperty(picker, 'files', { value: [file], configurable: true })
  await settle(() => picker.dispatchEvent(new Event('change', { bubbles: true })))
}

const opmlFile = (text: string, name = 'feedly.opml') =>
  new File([text], name, { type: 'text/x-opml' })

describe('feeds in and out as OPML', () => {
  it('imports a file, shows the new feeds as sources, and says what it could not add', async () => {
    const result: OpmlImport = {
      added: [feed('forum', 'Acme forum')],
      already: 2,
      refused: [{ feed: 'Old FTP mirror', reason: 'it is not a web address (http or https)' }],
    }
    const { page, fake } = await screen([feed('blog', 'Acme blog')], {
      'sources:importOpml': () => ok(result),
    })
    await choose(page, opmlFile(SUBSCRIPTIONS))
    await waitFor(() =>
      expect(page.textContent).toContain(
        'Added 1 feed; 2 were already sources. It is checked on its first poll, shortly.',
      ),
    )
    expect(fake.calls).toContainEqual({
      name: 'sources:importOpml',
      input: { opml: SUBSCRIPTIONS },
    })
    const list = page.querySelector('[aria-label="Sources"]')
    expect(list?.textContent).toContain('Acme forum')
    const refused = page.querySelector('[aria-label="Feeds not added"]')
    expect(refused?.textContent).toBe('Old FTP mirror: it is not a web address (http or https)')
  })

  it('lists the first ten feeds it could not add, then counts the rest', async () => {
    const refused = Array.from({ length: 13 }, (_, n) => ({ feed: `Feed ${n}`, reason: 'bad' }))
    const { page } = await screen([], {
      'sources:importOpml': () => ok({ added: [], already: 0, refused }),
    })
    await choose(page, opmlFile(SUBSCRIPTIONS))
    await waitFor(() => expect(page.textContent).toContain('No new feeds.'))
    expect(page.querySelectorAll('[aria-label="Feeds not added"] li')).toHaveLength(10)
    expect(page.textContent).toContain('Not added (13):')
    expect(page.textContent).toContain('and 3 more.')
  })

  it('shows main’s refusal with the file’s name, and adds nothing', async () => {
    const { page, services } = await screen([feed('blog', 'Acme blog')], {
      'sources:importOpml': () =>
        err('invalid-input', "The file is not readable XML (line 1: char '{' is not expected)"),
    })
    await choose(page, opmlFile('{"feeds": []}', 'feeds.json'))
    const alert = await waitFor(() => {
      const found = page.querySelector('[role="alert"]')
      expect(found).not.toBeNull()
      return found
    })
    expect(alert?.textContent).toBe(
      "“feeds.json”: The file is not readable XML (line 1: char '{' is not expected).",
    )
    expect(services.store.getState().sources?.map((s) => s.config.id)).toEqual(['blog'])
  })

  it('refuses a file too large to send, and an empty one, without asking main', async () => {
    const { page, fake } = await screen([])
    await choose(page, opmlFile('x'.repeat(200_000), 'everything.opml'))
    await waitFor(() =>
      expect(page.querySelector('[role="alert"]')?.textContent).toBe(
        '“everything.opml” is larger than Earshot takes at once (160 KB, about a thousand feeds); split it and import each part.',
      ),
    )
    await choose(page, opmlFile('  \n', 'blank.opml'))
    await waitFor(() =>
      expect(page.querySelector('[role="alert"]')?.textContent).toBe('“blank.opml” is empty.'),
    )
    expect(fake.calls.some((call) => call.name === 'sources:importOpml')).toBe(false)
  })

  it('exports the feeds as a downloaded OPML file, and only when there are feeds', async () => {
    const opml = '<?xml version="1.0"?><opml version="2.0"><body/></opml>\n'
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:earshot/1'
    })
    const names: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download)
    })
    const { page } = await screen([feed('blog', 'Acme blog'), feed('forum', 'Forum'), demo], {
      'sources:exportOpml': () => ok({ opml, feeds: 2 }),
    })
    await click(button(page, 'Export OPML'))
    await waitFor(() =>
      expect(page.textContent).toContain('Exported 2 feeds as “earshot-feeds.opml”.'),
    )
    expect(names).toEqual(['earshot-feeds.opml'])
    expect(await blobs[0]?.text()).toBe(opml)
    cleanup?.()

    const none = await screen([demo])
    expect(button(none.page, 'Export OPML').disabled).toBe(true)
  })
})
