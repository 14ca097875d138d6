/**
 * The names of the built-in filters, as written in eskip. Kept in one place so that sources
 * that generate filter calls (Ingress annotations, redirects) and the registry agree.
 */
export const SetRequestHeader = 'setRequestHeader';
export const AppendRequestHeader = 'appendRequestHeader';
export const DropRequestHeader = 'dropRequestHeader';
export const SetResponseHeader = 'setResponseHeader';
export const AppendResponseHeader = 'appendResponseHeader';
export const DropResponseHeader = 'dropResponseHeader';
export const ModPath = 'modPath';
export const SetPath = 'setPath';
export const Status = 'status';
export const RedirectTo = 'redirectTo';
export const InlineContent = 'inlineContent';
export const PreserveHost = 'preserveHost';
export const BackendTimeout = 'backendTimeout';
export const Comment = 'comment';
export const Annotate = 'annotate';
export const IpAllowList = 'ipAllowList';
export const IpDenyList = 'ipDenyList';
export const JwtClaimToHeader = 'jwtClaimToHeader';
export const JwtValidation = 'jwtValidation';
export const JwtValidationKeys = 'jwtValidationKeys';
export const ForwardTokenField = 'forwardTokenField';
export const FlowId = 'flowId';
export const RequestId = 'requestId';
export const Xforward = 'xforward';
export const XforwardFirst = 'xforwardFirst';
export const TracingTag = 'tracingTag';
export const MaxBodySize = 'maxBodySize';
export const ConsecutiveBreaker = 'consecutiveBreaker';
export const Ratelimit = 'ratelimit';
export const ClientRatelimit = 'clientRatelimit';
export const LocalRatelimit = 'localRatelimit';
export const DisableRatelimit = 'disableRatelimit';
export const CorsOrigin = 'corsOrigin';
export const RedirectToLower = 'redirectToLower';
export const InlineContentIfStatus = 'inlineContentIfStatus';
export const ConsistentHashBalanceFactor = 'consistentHashBalanceFactor';
export const ConsistentHashKey = 'consistentHashKey';
export const SetDynamicBackendUrlFromHeader = 'setDynamicBackendUrlFromHeader';
export const SetDynamicBackendHostFromHeader = 'setDynamicBackendHostFromHeader';
export const SetDynamicBackendSchemeFromHeader = 'setDynamicBackendSchemeFromHeader';
export const SetDynamicBackendUrl = 'setDynamicBackendUrl';
export const SetDynamicBackendHost = 'setDynamicBackendHost';
export const SetDynamicBackendScheme = 'setDynamicBackendScheme';
export const DisableAccessLog = 'disableAccessLog';
export const EnableAccessLog = 'enableAccessLog';
export const ModRequestHeader = 'modRequestHeader';
export const ModResponseHeader = 'modResponseHeader';
export const CopyRequestHeader = 'copyRequestHeader';
export const CopyResponseHeader = 'copyResponseHeader';
/** Skipper's deprecated name for copyRequestHeader. */
export const RequestCopyHeader = 'requestCopyHeader';
/** Skipper's deprecated name for copyResponseHeader. */
export const ResponseCopyHeader = 'responseCopyHeader';
export const DropRequestHeaderRegexp = 'dropRequestHeaderRegexp';
export const DropResponseHeaderRegexp = 'dropResponseHeaderRegexp';
export const SetContextRequestHeader = 'setContextRequestHeader';
export const AppendContextRequestHeader = 'appendContextRequestHeader';
export const SetContextResponseHeader = 'setContextResponseHeader';
export const AppendContextResponseHeader = 'appendContextResponseHeader';
export const DropQuery = 'dropQuery';
export const HeaderToQuery = 'headerToQuery';
export const QueryToHeader = 'queryToHeader';
export const SetQuery = 'setQuery';
export const StripQuery = 'stripQuery';
