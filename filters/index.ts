/**
 * The built-in filters, in one explicit list. The route table builder registers these first;
 * a plugin registering the same name replaces the built-in.
 */
import type { FilterSpec } from '../src/spec.js';
import { appendRequestHeader } from './header/append-request-header.js';
import { appendResponseHeader } from './header/append-response-header.js';
import { dropRequestHeader } from './header/drop-request-header.js';
import { dropResponseHeader } from './header/drop-response-header.js';
import { setRequestHeader } from './header/set-request-header.js';
import { setResponseHeader } from './header/set-response-header.js';
import { preserveHost } from './host/preserve-host.js';
import { annotate } from './misc/annotate.js';
import { comment } from './misc/comment.js';
import { modPath } from './path/mod-path.js';
import { setPath } from './path/set-path.js';
import { inlineContent } from './status/inline-content.js';
import { redirectTo } from './status/redirect-to.js';
import { status } from './status/status.js';
import { backendTimeout } from './timeout/backend-timeout.js';
import { tracingTag } from './tracing/tracing-tag.js';
import { tracingTagFromResponse, tracingTagFromResponseIfStatus } from './tracing/tracing-tag-from-response.js';
import { tracingSpanName } from './tracing/tracing-span-name.js';
import { tracingBaggageToTag } from './tracing/tracing-baggage-to-tag.js';
import { stateBagToTag } from './tracing/state-bag-to-tag.js';
import { ipAllowList } from './ip/ip-allow-list.js';
import { ipDenyList } from './ip/ip-deny-list.js';
import { jwtClaimToHeader } from './auth/jwt-claim-to-header.js';
import { jwtValidation, jwtValidationKeys } from './auth/jwt-validation.js';
import { forwardTokenField } from './auth/forward-token-field.js';
import { flowId } from './tracing/flow-id.js';
import { requestId } from './tracing/request-id.js';
import { xforward, xforwardFirst } from './tracing/xforward.js';
import { maxBodySize } from './limits/max-body-size.js';
import { consecutiveBreaker } from './breaker/consecutive-breaker.js';
import { ratelimit } from './ratelimit/ratelimit.js';
import { clientRatelimit, localRatelimit } from './ratelimit/client-ratelimit.js';
import { disableRatelimit } from './ratelimit/disable-ratelimit.js';
import { corsOrigin } from './cors/cors-origin.js';
import { redirectToLower } from './status/redirect-to-lower.js';
import { inlineContentIfStatus } from './status/inline-content-if-status.js';
import { consistentHashKey } from './lb/consistent-hash-key.js';
import { consistentHashBalanceFactor } from './lb/consistent-hash-balance-factor.js';
import { setDynamicBackendHost, setDynamicBackendScheme, setDynamicBackendUrl } from './backend/set-dynamic-backend.js';
import {
  setDynamicBackendHostFromHeader,
  setDynamicBackendSchemeFromHeader,
  setDynamicBackendUrlFromHeader,
} from './backend/set-dynamic-backend-from-header.js';
import { disableAccessLog, enableAccessLog } from './accesslog/access-log-control.js';
import { modRequestHeader, modResponseHeader } from './header/mod-header.js';
import { copyRequestHeader, copyResponseHeader, requestCopyHeader, responseCopyHeader } from './header/copy-header.js';
import { dropRequestHeaderRegexp, dropResponseHeaderRegexp } from './header/drop-header-regexp.js';
import { appendContextRequestHeader, setContextRequestHeader } from './header/context-request-header.js';
import { appendContextResponseHeader, setContextResponseHeader } from './header/context-response-header.js';
import { stripQuery } from './query/strip-query.js';
import { setQuery } from './query/set-query.js';
import { dropQuery } from './query/drop-query.js';
import { queryToHeader } from './query/query-to-header.js';
import { headerToQuery } from './query/header-to-query.js';

export function builtinFilters(): FilterSpec[] {
  return [
    setRequestHeader,
    appendRequestHeader,
    dropRequestHeader,
    setResponseHeader,
    appendResponseHeader,
    dropResponseHeader,
    modPath,
    setPath,
    status,
    redirectTo,
    inlineContent,
    preserveHost,
    backendTimeout,
    comment,
    annotate,
    tracingTag,
    tracingTagFromResponse,
    tracingTagFromResponseIfStatus,
    tracingSpanName,
    tracingBaggageToTag,
    stateBagToTag,
    ipAllowList,
    ipDenyList,
    jwtClaimToHeader,
    jwtValidation,
    jwtValidationKeys,
    forwardTokenField,
    flowId,
    requestId,
    xforward,
    xforwardFirst,
    maxBodySize,
    consecutiveBreaker,
    ratelimit,
    clientRatelimit,
    localRatelimit,
    disableRatelimit,
    corsOrigin,
    redirectToLower,
    inlineContentIfStatus,
    consistentHashKey,
    consistentHashBalanceFactor,
    setDynamicBackendUrl,
    setDynamicBackendHost,
    setDynamicBackendScheme,
    setDynamicBackendUrlFromHeader,
    setDynamicBackendHostFromHeader,
    setDynamicBackendSchemeFromHeader,
    disableAccessLog,
    enableAccessLog,
    modRequestHeader,
    modResponseHeader,
    copyRequestHeader,
    copyResponseHeader,
    requestCopyHeader,
    responseCopyHeader,
    dropRequestHeaderRegexp,
    dropResponseHeaderRegexp,
    setContextRequestHeader,
    appendContextRequestHeader,
    setContextResponseHeader,
    appendContextResponseHeader,
    stripQuery,
    setQuery,
    dropQuery,
    queryToHeader,
    headerToQuery,
  ];
}
