import {
  brandProfileSchema,
  type BrandProfile,
  type HandlePlatform,
} from '../../../../shared/domain'

export type HandleDraft = { key: number; platform: HandlePlatform; handle: string }

/** The setup form as typed: rows may be blank until saved. */
export type ProfileDraft = {
  brand: string
  handles: HandleDraft[]
  products: string[]
  competitors: string[]
  excluded: string[]
}

export type DraftErrors = { brand?: string; form?: string }

export const handlePlatforms: { value: HandlePlatform; label: string; placeholder: string }[] = [
  { value: 'mastodon', label: 'Mastodon', placeholder: '@acme@mastodon.social' },
  { value: 'bluesky', label: 'Bluesky', placeholder: 'acme.bsky.social' },
  { value: 'reddit', label: 'Reddit', placeholder: 'u/acme' },
  { value: 'hn', label: 'Hacker News', placeholder: 'acme' },
  { value: 'x', label: 'X', placeholder: '@acme' },
  { value: 'other', label: 'Other', placeholder: 'acme' },
]

let nextKey = 1
/** Row keys only need to be unique within the page's life. */
export const newHandle = (platform: HandlePlatform = 'mastodon'): HandleDraft => ({
  key: nextKey++,
  platform,
  handle: '',
})

export function toDraft(profile: BrandProfile | null): ProfileDraft {
  if (!profile) {
    return { brand: '', handles: [newHandle()], products: [], competitors: [], excluded: [] }
  }
  return {
    brand: profile.brand,
    handles: profile.handles.map((entry) => ({
      ...newHandle(entry.platform),
      handle: entry.handle,
    })),
    products: [...profile.products],
    competitors: [...profile.competitors],
    excluded: [...profile.excluded],
  }
}

const fieldNames: Record<string, string> = {
  brand: 'Brand name',
  handles: 'Handles',
  products: 'Product names',
  competitors: 'Competitor names',
  excluded: 'Words to exclude',
}

/** The profile to save, or what to fix. Blank handle rows are dropped, not refused. */
export function fromDraft(
  draft: ProfileDraft,
): { ok: true; profile: BrandProfile } | { ok: false; errors: DraftErrors } {
  if (draft.brand.trim() === '') {
    return {
      ok: false,
      errors: { brand: 'Enter the brand name: Earshot listens for it everywhere.' },
    }
  }
  const parsed = brandProfileSchema.safeParse({
    brand: draft.brand,
    handles: draft.handles
      .filter((row) => row.handle.trim() !== '')
      .map((row) => ({ platform: row.platform, handle: row.handle })),
    products: draft.products,
    competitors: draft.competitors,
    excluded: draft.excluded,
  })
  if (parsed.success) return { ok: true, profile: parsed.data }
  const issue = parsed.error.issues[0]
  const field = fieldNames[String(issue?.path[0] ?? '')] ?? 'The profile'
  const message = `${field}: ${issue?.message ?? 'check this field'}`
  return issue?.path[0] === 'brand'
    ? { ok: false, errors: { brand: message } }
    : { ok: false, errors: { form: message } }
}
