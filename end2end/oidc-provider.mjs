// A real, certified OpenID provider (npm `oidc-provider`) on loopback for
// the single sign-on specs. People: ada (group console-admins), max
// (console-members), eve (no group); any password signs them in on its
// development login page. POST /test/groups {"user","groups"} changes
// someone's groups, as an organisation's directory would.
// Usage: node oidc-provider.mjs PORT CLIENT_SECRET REDIRECT_URI[,…] POST_LOGOUT_URI[,…]
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [port, secret, redirects, afterSignOut] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const groups = { ada: ['console-admins'], max: ['console-members'], eve: [] };
const names = { ada: 'Ada Lovelace', max: 'Max Planck', eve: 'Eve Outsider' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'ai-console',
      client_secret: secret,
      redirect_uris: redirects.split(','),
      post_logout_redirect_uris: afterSignOut.split(','),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({
      sub: `subject-${id}`,
      email: `${id}@sso.example.com`,
      email_verified: true,
      name: names[id] ?? id,
      groups: groups[id] ?? [],
    }),
  }),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  // Claims in the ID token itself, as many organisations' providers do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  // The console is a first-party client: no consent screen.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
});

const handle = provider.callback();
createServer((request, response) => {
  if (request.url === '/test/groups' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { user, groups: now } = JSON.parse(body);
      groups[user] = now;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ user, groups: now }));
    });
    return;
  }
  handle(request, response);
}).listen(Number(port), '127.0.0.1');
