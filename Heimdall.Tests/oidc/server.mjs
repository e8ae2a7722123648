// A real OpenID provider for Heimdall's identity end-to-end test (started by the test, stopped by it).
// oidc-provider on 127.0.0.1 (port from argv, 0 = any free port) issuing JWT access tokens through the
// client_credentials grant with resource indicators: client "heimdall-rs" gets RS256 tokens, "heimdall-es" ES256.
// Prints one JSON line {"issuer": "..."} to stdout once it listens.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const resource = 'urn:heimdall:test';
const secret = process.env.OIDC_CLIENT_SECRET ?? 'heimdall-test-secret';

function jwk(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid: `${alg}-${randomUUID()}`, alg, use: 'sig' };
}

const server = createServer();
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [jwk('rsa', { modulusLength: 2048 }, 'RS256'), jwk('ec', { namedCurve: 'P-256' }, 'ES256')] },
    clients: ['heimdall-rs', 'heimdall-es'].map((id) => ({
      client_id: id,
      client_secret: secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator, client) => {
          if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
          return {
            scope: 'metrics:read',
            audience: resource,
            accessTokenTTL: 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: client.clientId === 'heimdall-es' ? 'ES256' : 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: (ctx, token) => ({ groups: ['sre', token.clientId], namespaces: ['acme', 'globex'] }),
  });
  server.on('request', provider.callback());
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
