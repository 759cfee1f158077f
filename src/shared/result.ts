/** What went wrong, in a form every host can carry across the contract. */
export type ErrorCode =
  | 'invalid-input'
  | 'unknown-call'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'network'
  | 'parse'
  | 'internal'

export type AppError = { code: ErrorCode; message: string }

/** Every contract reply: a value, or a typed error. Never a thrown exception. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E }

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value })

export const err = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
})

/** Turns anything thrown into a message a person can read, without stack traces. */
export function describeError(cause: unknown): string {
  if (cause instanceof Error) return cause.message
  if (typeof cause === 'string') return cause
  return 'Unknown error'
}
