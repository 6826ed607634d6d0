// A real OpenID Connect provider (the certified oidc-provider package) for the single sign-on
// tests (issue 20). Started on loopback by tests/oidc/conftest.py:
//   node tests/oidc/provider.mjs PORT REDIRECT_URI[,REDIRECT_URI...]
// It prints "ready <issuer>" once it listens.
//
// Static clients (secret = "<client_id>-secret"), all with the same redirect URIs:
//   prevent            an ordinary client
//   prevent-wrong-aud  its ID token is re-signed (with the provider's own key) for another
//                      audience: a token meant for a different application
//   prevent-expired    its ID token is re-signed already expired
// Test accounts: the login typed on the provider's sign-in form is the account id.
import http from 'node:http';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const redirectUris = process.argv[3].split(',');
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  // alice's provider says she is a system administrator: the application must not believe it.
  alice: { email: 'alice@council.example', email_verified: true, amr: ['pwd', 'mfa'], acr: 'mfa', roles: ['system_admin'] },
  nomfa: { email: 'nomfa@council.example', email_verified: true, amr: ['pwd'], acr: '1' },
  unverified: { email: 'unverified@council.example', email_verified: false, amr: ['pwd', 'mfa'], acr: 'mfa' },
  stranger: { email: 'stranger@council.example', email_verified: true, amr: ['pwd', 'mfa'], acr: 'mfa' },
  locked: { email: 'locked@council.example', email_verified: true, amr: ['pwd', 'mfa'], acr: 'mfa' },
};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const client = (clientId) => ({
  client_id: clientId,
  client_secret: `${clientId}-secret`,
  redirect_uris: redirectUris,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
});

const provider = new Provider(issuer, {
  clients: [client('prevent'), client('prevent-wrong-aud'), client('prevent-expired')],
  jwks: { keys: [jwk] },
  cookies: { keys: ['sso-test-cookie-key'] },
  claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified', 'roles'] },
  acrValues: ['mfa', '1'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, id) {
    if (!ACCOUNTS[id]) return undefined;
    const { email, email_verified, roles } = ACCOUNTS[id];
    return { accountId: id, async claims() { return { sub: id, email, email_verified, roles }; } };
  },
});

// The misbehaving clients: their ID token is signed again with the provider's key, wrong.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const clientId = ctx.oidc?.client?.clientId;
  if (clientId !== 'prevent-wrong-aud' && clientId !== 'prevent-expired') return;
  const claims = decodeJwt(ctx.body.id_token);
  const header = decodeProtectedHeader(ctx.body.id_token);
  if (clientId === 'prevent-wrong-aud') claims.aud = 'another-application';
  if (clientId === 'prevent-expired') {
    claims.iat -= 3600;
    claims.exp = Math.floor(Date.now() / 1000) - 600;
  }
  ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(privateKey) };
});

function formBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
  });
}

// The provider's own sign-in: a form asking for the account id, then consent given at once.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (prompt.name === 'login' && req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html');
    res.end(`<form method="post" action="/interaction/${uid}"><input name="login"><button>Sign in</button></form>`);
    return;
  }
  if (prompt.name === 'login') {
    const login = (await formBody(req)).get('login');
    const account = ACCOUNTS[login];
    if (!account) {
      res.statusCode = 400;
      res.end('unknown test account');
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: login, amr: account.amr, acr: account.acr },
    }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  grant.addOIDCScope(params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
}).listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
