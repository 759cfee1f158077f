/*
 * The credential store: each source's secrets (what the responder typed, plus what a connector
 * derives, such as a session), kept by main in one file in the data dir and written atomically.
 * With a Cipher (Electron's safeStorage) every entry is encrypted; without one (the web host) the
 * file holds them as they are and only the user's account may read it (mode 0600). Nothing here
 * ever puts a secret into a log line or a message.
 */
import { chmod, readFile, rename, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { z } from 'zod'
import type { Logger } from '../log'
import { writeFileAtomic } from '../journal/json-file'
import type { SecretAccess } from '../sources/connector'
import type { Cipher } from './cipher'

export const CREDENTIALS_FILE = 'credentials.json'

/** What the store can say about one source's secrets (core adds `not-needed` by kind). */
export type StoredState = 'set' | 'missing' | 'unreadable'

export type SecretRecord = Readonly<Record<string, string>>

/** Storing was refused (no secure storage and no opt-in): the message says why and what to do. */
export class CredentialStoreError extends Error {
  override readonly name = 'CredentialStoreError'
}

export type CredentialStore = {
  /** The source's secrets, or null when none are set or they cannot be read here. */
  get(id: string): SecretRecord | null
  state(id: string): StoredState
  /** Replaces the source's secrets. Throws `CredentialStoreError` when storing is refused. */
  set(id: string, record: SecretRecord): Promise<void>
  /** Patches the source's secrets; `null` removes a key, and an empty record removes the entry. */
  merge(id: string, patch: Readonly<Record<string, string | null>>): Promise<void>
  delete(id: string): Promise<void>
  /** What a connector sees: this source's secrets and a way to save refreshed ones. */
  access(id: string): SecretAccess
  /** Things the responder should know (where plain secrets live, a file kept aside), for app:info. */
  notices(): string[]
  /** Waits for pending writes. */
  flush(): Promise<void>
  readonly path: string
}

export type CredentialStoreOptions = {
  dataDir: string
  /** Encrypts each entry; absent on the web host (a 0600 plain file). */
  cipher?: Cipher | null
  /**
   * With a cipher that is unavailable on this machine, store plain text anyway (0600 file). Off by
   * default: without it, storing is refused with an error saying how to opt in.
   */
  allowPlainText?: boolean
  /** How the responder opts in to plain text, named in the refusal (e.g. an environment variable). */
  optInHint?: string
  logger: Logger
  now?: () => number
}

const recordSchema = z.record(z.string().max(200), z.string().max(100_000))
/** An entry is either encrypted (base64 of the cipher's bytes) or plain. */
const fileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string().max(200), z.union([z.string().max(400_000), recordSchema])),
})
type RawEntry = string | Record<string, string>

type Entry = { record: Record<string, string> } | { unreadable: true; raw: RawEntry }

/** Opens (or starts) the store in `dataDir`. Never throws for bad content: that is `unreadable`. */
export async function openCredentialStore(
  options: CredentialStoreOptions,
): Promise<CredentialStore> {
  const { logger, cipher = null } = options
  const now = options.now ?? Date.now
  const path = join(options.dataDir, CREDENTIALS_FILE)
  const entries = new Map<string, Entry>()
  const notices: string[] = []
  /** The file was corrupt: whatever it held is gone, so a source without secrets is unreadable. */
  let lost = false
  let warnedPlain = false

  const encrypting = () => cipher !== null && cipher.available()
  const plainAllowed = () => cipher === null || options.allowPlainText === true

  const loaded = await readStoreFile(path)
  if (loaded.kind === 'corrupt') {
    const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-')
    const backup = `${path}.corrupt-${stamp}`
    await rename(path, backup)
    lost = true
    // The reason is left out on purpose: a parser's message may quote the file, secrets and all.
    const problem = `${basename(path)} could not be read. It was kept as ${basename(backup)}; enter the credentials of your sources again.`
    notices.push(problem)
    logger.warn('credential file could not be read', { keptAs: basename(backup) })
  } else if (loaded.kind === 'ok') {
    await ensurePrivate(path, logger)
    for (const [id, raw] of Object.entries(loaded.entries)) entries.set(id, decode(raw))
  }

  function decode(raw: RawEntry): Entry {
    if (typeof raw !== 'string') return { record: { ...raw } }
    if (!cipher?.available()) return { unreadable: true, raw }
    try {
      const parsed = recordSchema.safeParse(JSON.parse(cipher.decrypt(Buffer.from(raw, 'base64'))))
      return parsed.success ? { record: parsed.data } : { unreadable: true, raw }
    } catch {
      return { unreadable: true, raw }
    }
  }

  if (cipher !== null && !cipher.available()) {
    notices.push(
      plainAllowed()
        ? `This computer offers no encrypted storage for passwords, so source credentials are kept in ${path}, readable only by your user account.`
        : `This computer offers no encrypted storage for passwords (no keyring), so Earshot cannot store sign-ins for sources.${options.optInHint ? ` ${options.optInHint}` : ''}`,
    )
  }

  const plainNotice = () =>
    `Credentials are kept in ${path}, readable only by your user account (not encrypted).`

  let writing: Promise<void> = Promise.resolve()
  const write = (): Promise<void> => {
    const next = writing.then(async () => {
      const out: Record<string, RawEntry> = {}
      const encrypt = encrypting()
      for (const [id, entry] of entries) {
        if ('unreadable' in entry) out[id] = entry.raw
        else if (encrypt && cipher)
          out[id] = cipher.encrypt(JSON.stringify(entry.record)).toString('base64')
        else out[id] = entry.record
      }
      await writeFileAtomic(path, JSON.stringify({ version: 1, entries: out }, null, 2) + '\n')
      if (!encrypt && entries.size > 0 && !warnedPlain) {
        warnedPlain = true
        logger.warn('credentials are stored unencrypted', { file: path })
      }
    })
    // A failed write must not block the next one; the caller still sees its own failure.
    writing = next.catch(() => undefined)
    return next
  }

  const refuseIfNeeded = () => {
    if (encrypting() || plainAllowed()) return
    throw new CredentialStoreError(
      `Earshot will not store this sign-in: this computer offers no encrypted storage for passwords (no keyring).${options.optInHint ? ` ${options.optInHint}` : ''}`,
    )
  }

  const store: CredentialStore = {
    path,
    get(id) {
      const entry = entries.get(id)
      return entry && 'record' in entry ? { ...entry.record } : null
    },
    state(id) {
      const entry = entries.get(id)
      if (!entry) return lost ? 'unreadable' : 'missing'
      return 'record' in entry ? 'set' : 'unreadable'
    },
    async set(id, record) {
      refuseIfNeeded()
      const before = entries.get(id)
      entries.set(id, { record: { ...record } })
      try {
        await write()
      } catch (cause) {
        if (before) entries.set(id, before)
        else entries.delete(id)
        throw cause
      }
    },
    async merge(id, patch) {
      refuseIfNeeded()
      const before = entries.get(id)
      const next: Record<string, string> = before && 'record' in before ? { ...before.record } : {}
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete next[key]
        else next[key] = value
      }
      if (Object.keys(next).length === 0) entries.delete(id)
      else entries.set(id, { record: next })
      try {
        await write()
      } catch (cause) {
        if (before) entries.set(id, before)
        else entries.delete(id)
        throw cause
      }
    },
    async delete(id) {
      if (!entries.delete(id)) return
      await write()
    },
    access(id) {
      return { get: () => store.get(id), update: (patch) => store.merge(id, patch) }
    },
    notices() {
      const plain = !encrypting() && plainAllowed() && entries.size > 0 && cipher === null
      return plain ? [...notices, plainNotice()] : [...notices]
    },
    flush: () => writing,
  }
  if (cipher === null && entries.size > 0) {
    warnedPlain = true
    logger.warn('credentials are stored unencrypted', { file: path })
  }
  return store
}

type Loaded =
  { kind: 'missing' } | { kind: 'corrupt' } | { kind: 'ok'; entries: Record<string, RawEntry> }

async function readStoreFile(path: string): Promise<Loaded> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
    throw cause
  }
  try {
    const parsed = fileSchema.safeParse(JSON.parse(text.replace(/^\uFEFF/, '')))
    return parsed.success ? { kind: 'ok', entries: parsed.data.entries } : { kind: 'corrupt' }
  } catch {
    return { kind: 'corrupt' }
  }
}

/** Only the user's account may read the file; a looser mode (copied, restored) is tightened. */
async function ensurePrivate(path: string, logger: Logger): Promise<void> {
  if (process.platform === 'win32') return
  const { mode } = await stat(path)
  if ((mode & 0o077) === 0) return
  await chmod(path, 0o600)
  logger.warn('credential file was readable by others; now readable only by this user', {
    file: path,
  })
}
