/**
 * An example skiff plugin, plain JavaScript so that it loads without a build step:
 *
 *   skiff --filter-plugin examples/plugins/sunset.js --routes-file routes.eskip
 *
 *   old: Path("/v1/*rest") -> sunset("2030-01-31T00:00:00Z", "https://docs.example.org/v2") -> "http://api-v1:8080";
 *   canary: Path("/v1/*rest") && HeaderPresent("X-Canary") -> "http://api-v1-canary:8080";
 *
 * The filter `sunset(date, [link])` announces the retirement of an endpoint on every response
 * (RFC 8594): a `Sunset` header with the date, and a `Link` with rel="sunset" to the migration
 * notes. The predicate `HeaderPresent(name)` matches requests that carry a header.
 * Arguments are checked in create(), once per route; request()/response() run per request.
 */

/** @type {import('skiff').FilterSpec} */
const sunset = {
  name: 'sunset',
  create(args) {
    if (args.length < 1 || args.length > 2) throw new Error('expects a date and an optional link');
    const [date, link] = args;
    const when = typeof date === 'string' ? new Date(date) : new Date(NaN);
    if (Number.isNaN(when.getTime())) throw new Error(`not a date: ${JSON.stringify(date)}`);
    if (link !== undefined && (typeof link !== 'string' || !/^https?:\/\/[^\s<>]+$/.test(link))) {
      throw new Error(`not an http(s) link: ${JSON.stringify(link)}`);
    }
    // computed once: the same strings go on every response
    const sunsetValue = when.toUTCString();
    const linkValue = link === undefined ? undefined : `<${link}>; rel="sunset"`;
    return {
      response(ctx) {
        const headers = ctx.response.headers;
        headers['sunset'] = sunsetValue;
        if (linkValue === undefined) return;
        const current = headers['link'];
        if (current === undefined) headers['link'] = linkValue;
        else headers['link'] = [...(Array.isArray(current) ? current : [current]), linkValue];
      },
    };
  },
};

/** @type {import('skiff').PredicateSpec} */
const headerPresent = {
  name: 'HeaderPresent',
  create(args) {
    if (args.length !== 1 || typeof args[0] !== 'string' || args[0] === '') throw new Error('expects one header name');
    const name = args[0].toLowerCase();
    return {
      match(req) {
        return req.headers[name] !== undefined;
      },
    };
  },
};

export const filters = [sunset];
export const predicates = [headerPresent];
