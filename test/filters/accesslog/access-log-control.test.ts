import { describe, expect, it } from 'vitest';
import { disableAccessLog, enableAccessLog } from '../../../filters/accesslog/access-log-control.js';
import { ACCESS_LOG_CONTROL_KEY, AccessLogControl } from '../../../src/accesslog/log-control.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('disableAccessLog / enableAccessLog: arguments', () => {
  for (const spec of [disableAccessLog, enableAccessLog]) {
    it.each([[['2']], [[2, '404']], [[0]], [[-1]], [[2.5]], [[600]], [[{ regexp: '2..' }]]] as Arg[][][])(
      `${spec.name} rejects %j`,
      (args) => {
        expectInvalidArgs(spec, args);
      },
    );
  }
});

describe('disableAccessLog / enableAccessLog', () => {
  it.each([
    // [spec, args, statuses logged, statuses not logged]
    [disableAccessLog, [], [], [200, 404, 500]],
    [enableAccessLog, [], [200, 404, 500], []],
    [disableAccessLog, [2], [101, 301, 404, 500], [200, 204, 299]],
    [enableAccessLog, [4, 5], [400, 404, 499, 500, 503], [200, 301, 399]],
    [enableAccessLog, [20, 301], [200, 209, 301], [210, 300, 302, 404]],
    [disableAccessLog, [1, 20, 404], [210, 301, 403, 500], [101, 200, 204, 404]],
  ] as [typeof enableAccessLog, Arg[], number[], number[]][])('%o %j', (spec, args, logged, muted) => {
    const ctx = runRequest(createFilter(spec, ...args), filterContext());
    const control = ctx.state.get(ACCESS_LOG_CONTROL_KEY);
    expect(control).toBeInstanceOf(AccessLogControl);
    for (const s of logged) expect((control as AccessLogControl).shouldLog(s), `status ${s}`).toBe(true);
    for (const s of muted) expect((control as AccessLogControl).shouldLog(s), `status ${s}`).toBe(false);
  });

  it('the last filter to run wins', () => {
    const ctx = filterContext();
    runRequest(createFilter(disableAccessLog), ctx);
    runRequest(createFilter(enableAccessLog, 5), ctx);
    const control = ctx.state.get(ACCESS_LOG_CONTROL_KEY) as AccessLogControl;
    expect(control.enable).toBe(true);
    expect(control.shouldLog(500)).toBe(true);
    expect(control.shouldLog(200)).toBe(false);
  });

  it("uses Skipper's state bag key", () => {
    expect(ACCESS_LOG_CONTROL_KEY).toBe('statebag:access_log:proxy:enabled');
  });
});
