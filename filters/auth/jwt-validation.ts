/**
 * Skipper's JWT filters, for teams that bring their routes along:
 *   jwtValidation("https://issuer.example")   keys found by OpenID discovery
 *                                             (<issuer>/.well-known/openid-configuration → jwks_uri);
 *                                             `sub` required; `iss` must equal the issuer
 *   jwtValidationKeys("https://idp/keys")     keys from that JWKS URL; no `sub` or `iss` check
 * Both answer 401 to a missing or invalid token (`exp` is always required, unlike Skipper) and
 * leave the verified claims in the state bag (token-state.ts) for forwardTokenField and others.
 * The default asymmetric algorithm set applies; for more control use jwtClaimToHeader.
 */
import type { Arg, Filter, FilterSpec } from '../../src/spec.js';
import type { JwtOptions } from './jwt-options.js';
import { invalidArgs } from '../../src/errors.js';
import { expectCount, stringArg } from '../../src/args.js';
import { JwtValidation, JwtValidationKeys } from '../names.js';
import { parseJwtOptions } from './jwt-options.js';
import { acquireVerifier, type VerifierHandle } from './shared-verifiers.js';
import { VerifyingFilter } from './verifying-filter.js';

export class JwtValidationFilter extends VerifyingFilter {
  constructor(handle: VerifierHandle) {
    super(handle, true, []);
  }

  protected accept(): boolean {
    return true;
  }
}

function validationSpec(name: string, optionsFor: (url: string) => JwtOptions): FilterSpec {
  return {
    name,
    create(args: readonly Arg[]): Filter {
      expectCount(name, args, 1);
      const url = stringArg(name, args, 0, 'the URL');
      if (!/^https?:\/\/\S+$/.test(url)) throw invalidArgs(name, `expects an http(s) URL, got ${JSON.stringify(url)}`);
      let options: JwtOptions;
      try {
        options = optionsFor(url);
      } catch (err) {
        throw invalidArgs(name, (err as Error).message);
      }
      return new JwtValidationFilter(acquireVerifier(options));
    },
  };
}

export const jwtValidation: FilterSpec = validationSpec(JwtValidation, (issuer) => parseJwtOptions(`oidc=${issuer}`, ['sub']));
export const jwtValidationKeys: FilterSpec = validationSpec(JwtValidationKeys, (url) => parseJwtOptions(`jwks=${url}`));

