// A real, certified OpenID provider (npm `oidc-provider`) on loopback for
// the single sign-on specs. People: ada (group console-admins), max
// (console-members), eve (no group); any password signs them in on the
// plain login page below. POST /test/groups {"user","groups"} changes
// someone's groups, as an organisation's directory would. Its own pages
// load nothing from elsewhere (the library's defaults fetch web fonts).
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
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out', `${form}<p>Sign out of Example ID too?</p>
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Signed out', '<p>You are signed out of Example ID.</p>');
      },
    },
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Error', `<p>${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
  },
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

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title} · Example ID</title></head>
    <body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function readForm(request) {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(new URLSearchParams(body)));
  });
}

const handle = provider.callback();
createServer(async (request, response) => {
  if (request.url === '/favicon.ico') {
    response.writeHead(204);
    response.end();
    return;
  }
  const interaction = /^\/interaction\/([^/]+)(\/login)?$/.exec(request.url ?? '');
  if (interaction && request.method === 'GET') {
    await provider.interactionDetails(request, response);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      page(
        'Sign in to Example ID',
        `<form method="post" action="/interaction/${escape(interaction[1])}/login">
          <label for="login">Username</label> <input id="login" name="login" required>
          <label for="password">Password</label> <input id="password" name="password" type="password" required>
          <button type="submit">Continue</button></form>`,
      ),
    );
    return;
  }
  if (interaction && interaction[2] && request.method === 'POST') {
    const form = await readForm(request);
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: form.get('login') } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
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
