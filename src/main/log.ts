/* One small logger for main: levels, one line per entry, secrets redacted before anything is written. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export type Logger = {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

const secretKey = /token|secret|password|authorization|cookie|jwt|apikey|api_key|credential/i
const secretValue =
  /(bearer\s+)[\w.~+/=-]+|([?&](?:access_token|token|api_key|key|sig|password)=)[^&\s]+/gi

/** Replaces credentials in strings and under secret-looking keys, recursively. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.replace(secretValue, (_m, bearer?: string, param?: string) =>
      bearer ? `${bearer}[redacted]` : `${param ?? ''}[redacted]`,
    )
  }
  if (depth > 4 || value === null || typeof value !== 'object') return value
  if (value instanceof Error) return redact(value.message, depth + 1)
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    out[key] = secretKey.test(key) ? '[redacted]' : redact(v, depth + 1)
  }
  return out
}

export type LogSink = (line: string) => void

/** A logger writing JSON lines to `sink` (stderr by default) at `level` and above. */
export function createLogger(
  level: LogLevel = 'info',
  sink: LogSink = (line) => process.stderr.write(line + '\n'),
  now: () => Date = () => new Date(),
): Logger {
  const write = (lvl: LogLevel, message: string, fields?: LogFields) => {
    if (order[lvl] < order[level]) return
    const entry = {
      t: now().toISOString(),
      level: lvl,
      msg: redact(message),
      ...(fields ? (redact(fields) as LogFields) : {}),
    }
    sink(JSON.stringify(entry))
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  }
}

/** A logger that keeps quiet, for tests and the CLI's stdout. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
