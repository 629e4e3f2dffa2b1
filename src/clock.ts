/** Injected time source (model-codebases §4.7): anything with timeouts or timestamps receives one. */
export interface Clock {
  /** Microseconds since the epoch. */
  nowUs(): number;
}

export const systemClock: Clock = { nowUs: () => Math.round((performance.timeOrigin + performance.now()) * 1000) };

/** A clock tests can move by hand. */
export function manualClock(startUs: number): Clock & { advance(us: number): void; set(us: number): void } {
  let t = startUs;
  return {
    nowUs: () => t,
    advance: (us) => {
      t += us;
    },
    set: (us) => {
      t = us;
    },
  };
}
