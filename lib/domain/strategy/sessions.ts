/**
 * Trading sessions as fixed UTC hour windows. Real session hours move with daylight saving time in
 * London and New York; a spec that needs exact local hours should use an `hours` window instead.
 * These are the standard-time (northern winter) hours of the main FX centres, which is what most
 * session filters in cBots hard-code.
 */
export const SESSIONS = {
  /** Tokyo 09:00-18:00 JST. */
  asia: { from: '00:00', to: '09:00' },
  /** London 08:00-17:00 GMT. */
  london: { from: '08:00', to: '17:00' },
  /** New York 08:00-17:00 EST. */
  newYork: { from: '13:00', to: '22:00' },
} as const;

export type SessionName = keyof typeof SESSIONS;
export const SESSION_NAMES = Object.keys(SESSIONS) as SessionName[];

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:MM" (00:00-24:00) → minutes after midnight UTC. */
export function minuteOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours! * 60 + minutes!;
}
