import type { z } from 'zod'
import type { SourceConfig, SourceKind } from '../../shared/domain'
import {
  blueskyCredentialsSchema,
  mastodonCredentialsSchema,
  redditCredentialsSchema,
} from '../../shared/domain'

/** The kinds that take credentials, with what they take; the others take none. */
const schemas: Partial<Record<SourceKind, z.ZodType<Record<string, string>>>> = {
  mastodon: mastodonCredentialsSchema,
  bluesky: blueskyCredentialsSchema,
  reddit: redditCredentialsSchema,
}

export const credentialSchemaFor = (kind: SourceKind) => schemas[kind] ?? null

/** Mastodon reads public hashtags without a token; Bluesky and Reddit cannot read at all. */
export const credentialsRequired = (config: Pick<SourceConfig, 'kind'>): boolean =>
  config.kind === 'bluesky' || config.kind === 'reddit'

export const takesCredentials = (kind: SourceKind): boolean => schemas[kind] !== undefined
