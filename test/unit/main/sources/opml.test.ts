import { describe, expect, it } from 'vitest'
import { SourceError } from '../../../../src/main/sources/connector'
import { OPML_MAX_FEEDS, parseOpml, writeOpml } from '../../../../src/main/sources/opml'
import { mutateText, seeded } from '../../../fixtures/seeded'

const opml = (body: string, head = '<head><title>Subscriptions</title></head>') =>
  `<?xml version="1.0" encoding="UTF-8"?><opml version="1.0">${head}<body>${body}</body></opml>`

/** The refusal's words, or null when the file was read. */
const refusal = (text: string): string | null => {
  try {
    parseOpml(text)
    return null
  } catch (cause) {
    return (cause as Error).message
  }
}

describe('reading OPML', () => {
  it('reads the feeds of a Feedly export, folders walked, in file order', () => {
    const reading = parseOpml(
      opml(`
      <outline text="Brand watch" title="Brand watch">
        <outline type="rss" text="Acme forum" title="Acme forum"
          xmlUrl="https://forum.acme.example/latest.rss" htmlUrl="https://forum.acme.example/"/>
        <outline type="rss" text="Google Alert - Acme" title="Google Alert - Acme"
          xmlUrl="https://www.google.com/alerts/feeds/0123/4567?hl=en&amp;gl=us"/>
      </outline>
      <outline type="rss" text="Competitor blog" xmlUrl="https://globex.example/blog/feed"/>`),
    )
    expect(reading).toEqual({
      feeds: [
        { url: 'https://forum.acme.example/latest.rss', title: 'Acme forum' },
        {
          url: 'https://www.google.com/alerts/feeds/0123/4567?hl=en&gl=us',
          title: 'Google Alert - Acme',
        },
        { url: 'https://globex.example/blog/feed', title: 'Competitor blog' },
      ],
      refused: [],
    })
  })

  it('takes the attribute whatever its case, a lone outline, and a feed without a title', () => {
    expect(parseOpml(opml('<outline xmlurl=" https://a.example/rss "/>')).feeds).toEqual([
      { url: 'https://a.example/rss', title: null },
    ])
    expect(parseOpml(opml('<outline XMLURL="https://b.example/rss" TEXT="B"/>')).feeds).toEqual([
      { url: 'https://b.example/rss', title: 'B' },
    ])
  })

  it('lists each address once, and keeps titles to one line of 120 characters', () => {
    const long = 'word '.repeat(60)
    const reading = parseOpml(
      opml(`<outline xmlUrl="https://a.example/rss" title="A&#10;  twice"/>
        <outline xmlUrl="https://a.example/rss" title="A again"/>
        <outline xmlUrl="https://c.example/rss" title="${long}"/>`),
    )
    expect(reading.feeds.map((f) => f.title)).toEqual(['A twice', long.trim().slice(0, 120)])
  })

  it('passes over, with the reason, feeds that are not web addresses', () => {
    const reading = parseOpml(
      opml(`<outline xmlUrl="ftp://files.example/feed.xml" title="Old FTP feed"/>
        <outline xmlUrl="javascript:alert(1)"/>
        <outline xmlUrl="not a url" title="Broken"/>
        <outline xmlUrl="https://ok.example/rss" title="Fine"/>`),
    )
    expect(reading.feeds).toEqual([{ url: 'https://ok.example/rss', title: 'Fine' }])
    expect(reading.refused).toEqual([
      { feed: 'Old FTP feed', reason: 'it is not a web address (http or https)' },
      { feed: 'javascript:alert(1)', reason: 'it is not a web address (http or https)' },
      { feed: 'Broken', reason: 'it is not a web address' },
    ])
  })

  it('refuses, in words, what is not an OPML subscription list', () => {
    expect(refusal('{"feeds": []}')).toBe(
      "The file is not readable XML (line 1: char '{' is not expected)",
    )
    expect(refusal('<rss version="2.0"><channel><title>A feed</title></channel></rss>')).toMatch(
      /not an OPML subscription list/,
    )
    expect(refusal('<opml>\n<body><outline xmlUrl="https://a.example/rss"</body></opml>')).toMatch(
      /^The file is not readable XML \(line 2: /,
    )
    expect(refusal(opml('<outline text="A folder with nothing in it"/>'))).toBe(
      'The file names no feeds (no outline has an xmlUrl)',
    )
  })

  it('refuses a file that declares entities, the way in for an XML bomb', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">
      <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
      <opml version="1.0"><body><outline title="&c;" xmlUrl="https://a.example/rss"/></body></opml>`
    expect(refusal(bomb)).toBe(
      'The file declares XML entities, which Earshot does not read in an OPML file',
    )
  })

  it('refuses more feeds than anyone follows, and folders nested without end', () => {
    const many = Array.from(
      { length: OPML_MAX_FEEDS + 1 },
      (_, n) => `<outline xmlUrl="https://f${n}.example/rss"/>`,
    ).join('')
    expect(refusal(opml(many))).toBe(
      'The file names more than 1,000 feeds; split it and import each part',
    )
    const exactly = Array.from(
      { length: OPML_MAX_FEEDS },
      (_, n) => `<outline xmlUrl="https://f${n}.example/rss"/>`,
    ).join('')
    expect(parseOpml(opml(exactly)).feeds).toHaveLength(OPML_MAX_FEEDS)
    const deep = '<outline text="f">'.repeat(40) + '</outline>'.repeat(40)
    expect(refusal(opml(deep))).toBe('The file nests its folders too deeply to read')
  })
})

describe('writing OPML', () => {
  it('writes feeds that read back the same, whatever their names hold', () => {
    const feeds = [
      { url: 'https://forum.acme.example/latest.rss?tag=a&sort=new', title: 'Acme "forum" <new>' },
      { url: 'https://www.google.com/alerts/feeds/0123/4567', title: 'Google Alert – Acme & co' },
    ]
    const text = writeOpml(feeds, new Date('2026-12-04T12:00:00Z'))
    expect(text).toContain('<opml version="2.0">')
    expect(text).toContain('<dateCreated>Fri, 04 Dec 2026 12:00:00 GMT</dateCreated>')
    expect(parseOpml(text)).toEqual({
      feeds: feeds.map((feed) => ({ url: feed.url, title: feed.title })),
      refused: [],
    })
  })

  it('writes an empty list as a valid file', () => {
    const text = writeOpml([], new Date(0))
    expect(text).toContain('<body>\n  </body>')
    expect(refusal(text)).toBe('The file names no feeds (no outline has an xmlUrl)')
  })
})

describe('fuzzing', () => {
  it('damaged exports give web-address feeds with one-line titles, or a parse error, 300 times', () => {
    const random = seeded(20261204)
    const export_ = writeOpml(
      Array.from({ length: 8 }, (_, n) => ({
        url: `https://feed${n}.example/rss?a=${n}&b="x"`,
        title: `Feed <${n}> & "friends"\n`,
      })),
      new Date(0),
    )
    let read = 0
    for (let round = 0; round < 300; round++) {
      let text = export_
      for (let step = 0; step < 1 + (round % 4); step++) text = mutateText(text, random)
      try {
        const reading = parseOpml(text)
        read++
        for (const feed of reading.feeds) {
          expect(['http:', 'https:'], `round ${round}`).toContain(new URL(feed.url).protocol)
          if (feed.title !== null) {
            expect(feed.title).not.toMatch(/[\n\r\t]|^\s|\s$/)
            expect(feed.title.length).toBeLessThanOrEqual(120)
          }
        }
      } catch (cause) {
        expect(cause, `round ${round}`).toBeInstanceOf(SourceError)
        expect((cause as SourceError).kind).toBe('parse')
      }
    }
    // Most small damage still leaves a readable file; the fuzz must exercise both paths.
    expect(read).toBeGreaterThan(30)
    expect(read).toBeLessThan(290)
  })
})
