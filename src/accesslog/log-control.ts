/**
 * Per-route access log control: the disableAccessLog and enableAccessLog filters leave an
 * AccessLogControl in the state bag under ACCESS_LOG_CONTROL_KEY (Skipper's key), and the access
 * log asks it whether to write a request's line. The last such filter to run wins.
 *
 * Without status codes, enable logs and disable does not. With codes, a response matches when its
 * status is one of them, read as Skipper reads them: a single digit is a class (2 is 200-299), two
 * digits a decade (30 is 300-309), three digits one status. enableAccessLog(codes) then logs the
 * matching responses only, disableAccessLog(codes) every response but the matching ones.
 *
 * The control decides within a log that is on (`--access-log`); a log that is off has nowhere to
 * write, so enableAccessLog cannot turn it on (Skipper's flag only mutes a log that exists).
 */

export const ACCESS_LOG_CONTROL_KEY = 'statebag:access_log:proxy:enabled';

export class AccessLogControl {
  /** Status ranges [from, to) of the codes given, as a flat list. */
  private readonly ranges: readonly number[];

  constructor(
    readonly enable: boolean,
    readonly codes: readonly number[],
  ) {
    const ranges: number[] = [];
    for (const c of codes) {
      if (c < 10) ranges.push(c * 100, (c + 1) * 100);
      else if (c < 100) ranges.push(c * 10, (c + 1) * 10);
      else ranges.push(c, c + 1);
    }
    this.ranges = ranges;
  }

  /** hot path: a few comparisons. */
  shouldLog(status: number): boolean {
    const r = this.ranges;
    if (r.length === 0) return this.enable;
    let match = false;
    for (let i = 0; i < r.length; i += 2) {
      if (status >= r[i]! && status < r[i + 1]!) {
        match = true;
        break;
      }
    }
    return match === this.enable;
  }
}

/**
 * Whether the state bag of a request lets the access log write its line: true when no filter
 * left a control.
 * hot path: undefined for requests whose filters never used the state bag.
 */
export function accessLogAllowed(state: ReadonlyMap<string, unknown> | undefined, status: number): boolean {
  if (state === undefined) return true;
  const control = state.get(ACCESS_LOG_CONTROL_KEY);
  return !(control instanceof AccessLogControl) || control.shouldLog(status);
}
