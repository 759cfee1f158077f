import { z } from 'zod'
import type { Platform } from './domain'

/* Reply templates: the answers every responder needs, with variables, and the length a platform
   counts. Pure: used by main (templates.json) and the composer. */

/** A variable's name as written between braces: `{{case}}`, `{{order_number}}`. */
export const fieldNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9_]*$/, 'Use lower-case letters, digits and underscores')

export const templateFieldSchema = z.object({
  name: fieldNameSchema,
  /** What the composer's input is labelled. */
  label: z.string().trim().min(1).max(80),
  /** Sending is blocked until it is filled. */
  required: z.boolean(),
})
export type TemplateField = z.infer<typeof templateFieldSchema>

export const templateSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'Use lower-case letters, digits and dashes'),
  name: z.string().trim().min(1, 'Give the template a name').max(120),
  body: z.string().trim().min(1, 'Write the answer').max(10_000),
  fields: z.array(templateFieldSchema).max(12),
})
export type Template = z.infer<typeof templateSchema>

export const MAX_TEMPLATES = 200

export const templateListSchema = z
  .array(templateSchema)
  .max(MAX_TEMPLATES)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    for (const [index, template] of list.entries()) {
      if (seen.has(template.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `Two templates share the id ${template.id}`,
        })
      }
      seen.add(template.id)
    }
  })

/** Filled from the mention and the brand profile, never typed: `{{author}}`, `{{brand}}`. */
export const BUILT_IN_VARIABLES = ['author', 'brand'] as const

const caseField: TemplateField = { name: 'case', label: 'Case number', required: true }

/** What a new install starts with. "Can we call you?" takes the conversation offline. */
export const DEFAULT_TEMPLATES: readonly Template[] = [
  {
    id: 'thank-you',
    name: 'Thank you',
    body: 'Thank you, {{author}}! It means a lot to the whole {{brand}} team.',
    fields: [],
  },
  {
    id: 'we-hear-you',
    name: 'We hear you',
    body: "{{author}}, we hear you, and we're sorry about {{issue}}. We're looking into it now and will update you here.",
    fields: [{ name: 'issue', label: 'What went wrong, in their words', required: true }],
  },
  {
    id: 'call-you',
    name: 'Can we call you?',
    body: "{{author}}, we'd like to sort this out with you directly. Could we call you? Please send us a private message with a number and a good time (case {{case}}).",
    fields: [caseField],
  },
  {
    id: 'passed-to-customer-service',
    name: "We've passed this to our customer service team",
    body: "Thanks, {{author}}. We've passed this to our customer service team (case {{case}}); they will be in touch soon.",
    fields: [caseField],
  },
  {
    id: 'shared-with-product',
    name: "We've shared your idea with our product team",
    body: "Thanks for the idea, {{author}}! We've shared it with our product team at {{brand}}.",
    fields: [],
  },
]

const placeholder = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g

/** The variables a body uses, in order of first use. */
export function templateVariables(body: string): string[] {
  return [...new Set([...body.matchAll(placeholder)].map((m) => m[1] ?? ''))]
}

export type Filled = {
  text: string
  /** Labels of the required fields (and built-in variables) still empty; sending waits for them. */
  missing: string[]
}

/**
 * The template's text with its variables filled from `values`. Every required field must be
 * filled, and so must a built-in variable the body uses; an optional field left empty disappears.
 * A variable the body names but the template does not declare stays missing until given.
 */
export function fillTemplate(
  template: Pick<Template, 'body' | 'fields'>,
  values: Readonly<Record<string, string | undefined>>,
): Filled {
  const missing: string[] = []
  const value = (name: string) => (values[name] ?? '').trim()
  for (const field of template.fields) {
    if (field.required && value(field.name) === '') missing.push(field.label)
  }
  const declared = new Set(template.fields.map((f) => f.name))
  for (const name of templateVariables(template.body)) {
    if (!declared.has(name) && value(name) === '') missing.push(name)
  }
  const text = template.body
    .replace(placeholder, (_whole, name: string) => value(name))
    // An optional field left empty leaves no double space or space before punctuation behind.
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.;:!?)])/g, '$1')
    .trim()
  return { text, missing }
}

/** Mastodon counts every link as this many characters, whatever its length. */
export const MASTODON_URL_LENGTH = 23
export const MASTODON_DEFAULT_LIMIT = 500
export const BLUESKY_LIMIT = 300
export const REDDIT_LIMIT = 10_000

export type Length = { length: number; limit: number | null; fits: boolean }

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const graphemes = (text: string) => Array.from(segmenter.segment(text)).length

// As Mastodon's StatusLengthValidator: links count 23, a mention counts only its username part.
const mastodonUrl = /https?:\/\/[^\s<>"]+/gi
const mastodonMention = /(^|[^\w/@])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[a-z0-9.-]+[a-z0-9]/gi

/**
 * The length of `text` as the platform counts it, against its limit: Bluesky in graphemes (300),
 * Mastodon in graphemes with each link as 23 and `@user@host` as `@user` (the instance's limit,
 * 500 by default), Reddit in characters (10,000). Platforms without replies have no limit.
 */
export function countLength(text: string, platform: Platform, limit?: number | null): Length {
  switch (platform) {
    case 'bluesky':
      return measure(graphemes(text), limit ?? BLUESKY_LIMIT)
    case 'mastodon': {
      const countable = text
        .replace(mastodonUrl, 'x'.repeat(MASTODON_URL_LENGTH))
        .replace(mastodonMention, (_whole, before: string, user: string) => `${before}@${user}`)
      return measure(graphemes(countable), limit ?? MASTODON_DEFAULT_LIMIT)
    }
    case 'reddit':
      return measure([...text].length, limit ?? REDDIT_LIMIT)
    default:
      return { length: graphemes(text), limit: null, fits: true }
  }
}

const measure = (length: number, limit: number): Length => ({
  length,
  limit,
  fits: length <= limit,
})

/**
 * The text as the platform will count it: a Mastodon reply that does not name the author gets
 * `@user@host ` put in front when sent (Mastodon notifies only accounts named), so that counts too.
 */
export function countedReply(text: string, platform: Platform, handle: string | undefined): string {
  if (platform !== 'mastodon' || !handle) return text
  const user = handle.replace(/^@/, '').split('@')[0] ?? ''
  if (user === '') return text
  const named = new RegExp(`@${user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'i')
  return named.test(text) ? text : `@${handle.replace(/^@/, '')} ${text}`
}
