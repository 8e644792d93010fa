import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines on stdout. Fields are chosen by the callers (uid, kind, namespace/name, user,
 * decision, rule ids, latency); nothing here ever receives an object body, so none can leak.
 */
export function createLogger(destination?: DestinationStream, level = 'info'): Logger {
  return pino(
    { level, base: { service: 'kfguard-webhook' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** A logger that drops everything, for library callers and tests that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
