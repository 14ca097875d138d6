// The benchmarks' token issuer: an RS256 key pair, its JWKS document and one token valid for two
// hours, with the issuer and audience that `claims` tells the JWT filters to expect.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const issuer = 'https://idp.bench';
const audience = 'bench';

/** The filter arguments that accept the issuer's tokens (the key source is added by the caller). */
export const claims = `issuer=${issuer} audience=${audience} algorithms=RS256`;

export async function benchIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' }] };
  const token = await new SignJWT({ sub: 'bench-user', org: { team: 'perf' } })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  return { publicKey, jwks, token };
}
