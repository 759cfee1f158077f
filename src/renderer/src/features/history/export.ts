import { toCsvRow, type CsvValue } from '../../../../shared/csv'
import type { Mention } from '../../../../shared/domain'
import type { EarshotDb, ResponderState } from '../../db/database'
import { settleInflow } from '../../db/inflow'
import { forEachPage } from '../../db/pages'

export type ExportFormat = 'csv' | 'json'

/** Where exported text goes, a chunk at a time; nothing upstream holds the whole file. */
export type ExportSink = {
  write: (chunk: string) => Promise<void>
  close: () => Promise<void>
}

/** One flat row per mention: what a spreadsheet or another tool can read back. */
export const EXPORT_COLUMNS = [
  'id',
  'created_at',
  'platform',
  'source',
  'author',
  'author_id',
  'author_handle',
  'url',
  'title',
  'text',
  'sentiment',
  'sentiment_score',
  'intent',
  'urgency',
  'directed',
  'status',
  'department',
  'thread_id',
  'reply_to',
] as const
export type ExportColumn = (typeof EXPORT_COLUMNS)[number]

export function exportRecord(
  mention: Mention,
  state: ResponderState | undefined,
): Record<ExportColumn, CsvValue> {
  return {
    id: mention.id,
    created_at: new Date(mention.createdAt).toISOString(),
    platform: mention.platform,
    source: mention.sourceId,
    author: mention.author.name,
    author_id: mention.author.id,
    author_handle: mention.author.handle ?? '',
    url: mention.url ?? '',
    title: mention.title ?? '',
    text: mention.text,
    sentiment: mention.triage.sentiment.label,
    sentiment_score: mention.triage.sentiment.score,
    intent: mention.triage.intent ?? 'other',
    urgency: mention.triage.urgency,
    directed: mention.triage.directed,
    status: state?.status ?? '',
    department: state?.department ?? '',
    thread_id: mention.threadId ?? '',
    reply_to: mention.replyTo ?? '',
  }
}

/** Mentions are read this many at a time. */
export const EXPORT_PAGE = 500

/**
 * Writes the given mentions (ids in order), or every stored mention when `ids` is 'all', as CSV
 * or a JSON array, one page at a time. Returns how many rows were written.
 */
export async function exportMentions(
  db: EarshotDb,
  ids: readonly string[] | 'all',
  format: ExportFormat,
  sink: ExportSink,
  onProgress?: (written: number) => void,
): Promise<number> {
  // The whole history is read by ranges: delivered mentions still in the inflow are spread first.
  if (ids === 'all') await settleInflow(db)
  let written = 0
  const emit = async (mentions: readonly (Mention | undefined)[]) => {
    const present = mentions.filter((mention): mention is Mention => mention !== undefined)
    if (present.length === 0) return
    const states = await db.states.bulkGet(present.map((mention) => mention.id))
    let chunk = ''
    present.forEach((mention, index) => {
      const record = exportRecord(mention, states[index])
      if (format === 'csv') {
        chunk += toCsvRow(EXPORT_COLUMNS.map((column) => record[column])) + '\r\n'
      } else {
        chunk += (written + index === 0 ? '\n' : ',\n') + JSON.stringify(record)
      }
    })
    written += present.length
    await sink.write(chunk)
    onProgress?.(written)
  }

  await sink.write(format === 'csv' ? toCsvRow(EXPORT_COLUMNS) + '\r\n' : '[')
  if (ids === 'all') {
    await forEachPage(db.mentions, EXPORT_PAGE, emit)
  } else {
    for (let at = 0; at < ids.length; at += EXPORT_PAGE) {
      await emit(await db.mentions.bulkGet(ids.slice(at, at + EXPORT_PAGE)))
    }
  }
  if (format === 'json') await sink.write(written === 0 ? ']\n' : '\n]\n')
  await sink.close()
  return written
}

type SaveFilePicker = (options: {
  suggestedName: string
  types: { description: string; accept: Record<string, string[]> }[]
}) => Promise<{
  createWritable: () => Promise<{
    write: (data: string | Blob) => Promise<void>
    close: () => Promise<void>
  }>
}>

/**
 * A sink that saves a file: straight to disk through the File System Access API where the browser
 * has it (Electron's Chromium does), else a Blob of blobs (Chromium keeps large ones on disk)
 * downloaded at the end. Resolves null when the responder cancels the save dialog.
 */
export async function fileSink(name: string, type: string): Promise<ExportSink | null> {
  const picker = (globalThis as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker
  if (picker) {
    let handle
    try {
      const extension = `.${name.split('.').pop() ?? 'txt'}`
      handle = await picker({
        suggestedName: name,
        types: [{ description: name, accept: { [type]: [extension] } }],
      })
    } catch (cause) {
      if ((cause as { name?: unknown }).name === 'AbortError') return null
      throw cause
    }
    const writable = await handle.createWritable()
    return { write: (chunk) => writable.write(chunk), close: () => writable.close() }
  }
  return blobSink(name, type)
}

/** Collects chunks as small Blobs, so no single string ever holds the file, then downloads it. */
export function blobSink(name: string, type: string): ExportSink {
  const parts: Blob[] = []
  return {
    write: async (chunk) => void parts.push(new Blob([chunk], { type })),
    close: async () => downloadBlob(new Blob(parts, { type }), name),
  }
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** `earshot-history-2026-11-23.csv` */
export const exportFileName = (what: string, format: string, now: number = Date.now()): string =>
  `earshot-${what}-${new Date(now).toISOString().slice(0, 10)}.${format}`

/** Saves a Blob already built (a backup): to a chosen file where the browser can, else a download. */
export async function saveBlob(blob: Blob, name: string): Promise<boolean> {
  const picker = (globalThis as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker
  if (!picker) {
    downloadBlob(blob, name)
    return true
  }
  let handle
  try {
    handle = await picker({
      suggestedName: name,
      types: [{ description: name, accept: { [blob.type || 'application/json']: ['.json'] } }],
    })
  } catch (cause) {
    if ((cause as { name?: unknown }).name === 'AbortError') return false
    throw cause
  }
  const writable = await handle.createWritable()
  await writable.write(blob)
  await writable.close()
  return true
}
