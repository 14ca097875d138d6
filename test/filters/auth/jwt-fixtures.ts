/**
 * Keys, tokens and a JWKS / OpenID discovery server on 127.0.0.1 for the JWT filter tests. The
 * server can be switched to answer 503 or to reset connections, and counts what it served.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
  readonly spki: string;
}

export async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk, spki: await exportSPKI(publicKey) };
}

export interface TokenOptions {
  /** Seconds from now; null leaves `exp` out. Default 300. */
  exp?: number | null;
  /** Seconds from now. */
  nbf?: number;
  iss?: string;
  aud?: string | string[];
  kid?: string | null;
  typ?: string;
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

export async function token(key: SigningKey, claims: JWTPayload, o: TokenOptions = {}): Promise<string> {
  const kid = o.kid === undefined ? key.kid : o.kid;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, ...(kid === null ? {} : { kid }), ...(o.typ === undefined ? {} : { typ: o.typ }) }).setIssuedAt();
  const exp = o.exp === undefined ? 300 : o.exp;
  if (exp !== null) jwt.setExpirationTime(nowSec() + exp);
  if (o.nbf !== undefined) jwt.setNotBefore(nowSec() + o.nbf);
  if (o.iss !== undefined) jwt.setIssuer(o.iss);
  if (o.aud !== undefined) jwt.setAudience(o.aud);
  return jwt.sign(key.privateKey);
}

/** A token with `alg: none` and no signature. */
export function unsignedToken(claims: JWTPayload): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
}

/** The same token with its payload replaced (signature no longer matches). */
export function tamper(jwt: string, claims: JWTPayload): string {
  const [header, , signature] = jwt.split('.');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

export type Mode = 'up' | 'error' | 'reset';

export class KeyServer {
  keys: JWK[] = [];
  mode: Mode = 'up';
  jwksFetches = 0;
  discoveryFetches = 0;
  /** Overrides the issuer written in the discovery document. */
  advertisedIssuer: string | undefined;
  /** Where the keys are served and what the discovery document names (an issuer may move it). */
  jwksPath = '/keys';
  /** Answers every other path (a jwks_uri left behind, say); default 404. */
  elsewhere: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  /** Requests to paths other than the keys and the discovery document. */
  elsewhereFetches = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(keys: SigningKey[]): Promise<KeyServer> {
    let self: KeyServer | undefined;
    const server = http.createServer((req, res) => self!.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    self = new KeyServer(server, `http://127.0.0.1:${port}`);
    self.keys = keys.map((k) => k.jwk);
    server.on('connection', (s: Socket) => {
      if (self!.mode === 'reset') {
        s.destroy();
        return;
      }
      self!.sockets.add(s);
      s.on('close', () => self!.sockets.delete(s));
    });
    return self;
  }

  get jwksUrl(): string {
    return `${this.url}${this.jwksPath}`;
  }

  /** Stops answering: resets every connection from now on. */
  goDown(mode: Mode = 'reset'): void {
    this.mode = mode;
    for (const s of this.sockets) s.destroy();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.mode === 'error') {
      res.writeHead(503).end('unavailable');
      return;
    }
    let body: unknown;
    if (req.url === this.jwksPath) {
      this.jwksFetches++;
      body = { keys: this.keys };
    } else if (req.url === '/.well-known/openid-configuration') {
      this.discoveryFetches++;
      body = { issuer: this.advertisedIssuer ?? this.url, jwks_uri: this.jwksUrl };
    } else {
      this.elsewhereFetches++;
      if (this.elsewhere !== undefined) this.elsewhere(req, res);
      else res.writeHead(404).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
