/**
 * A tiny line logger shared by every process. It never prints credentials: connection strings
 * lose their passwords and fields named like secrets are masked.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /pass(word)?|secret|token|authorization|cookie|api[_-]?key/i;

export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '***' : redact(v)]),
    );
  }
  return value;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

export function createLogger(component: string, level: Level = 'info'): Logger {
  const write = (at: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const extra = fields ? ` ${JSON.stringify(redact(fields))}` : '';
    const line = `${new Date().toISOString()} ${at.padEnd(5)} [${component}] ${String(redact(msg))}${extra}`;
    if (at === 'error' || at === 'warn') console.error(line);
    else console.log(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (name) => createLogger(`${component}:${name}`, level),
  };
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
