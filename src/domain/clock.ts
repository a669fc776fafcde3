/** Time is a parameter: rules take `now`, use cases take a Clock, tests pass a fake one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests and the demo shell can move by hand. */
export function fixedClock(
  start: Date,
): Clock & { set(at: Date): void; advance(ms: number): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/**
 * Real time moved forward by hand: the try shell's clock, so `advance 2d` brings reminders and
 * expiry windows closer for the demo while time still passes between commands.
 */
export function shiftedClock(
  base: Clock = systemClock,
): Clock & { advance(ms: number): void; readonly offsetMs: number } {
  let offsetMs = 0;
  return {
    now: () => new Date(base.now().getTime() + offsetMs),
    advance: (ms) => {
      offsetMs += ms;
    },
    get offsetMs() {
      return offsetMs;
    },
  };
}
