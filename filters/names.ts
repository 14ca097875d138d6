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
