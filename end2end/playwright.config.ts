import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PASSWORD, people } from './tests/people';

// Each project gets its own release server with a fresh database, so specs
// never see another project's saves. scripts/test.sh builds the binary and
// points AI_CONSOLE_BIN / AI_CONSOLE_SITE_ROOT at it.
const root = resolve(__dirname, '..');
const bin = process.env.AI_CONSOLE_BIN ?? join(root, 'target/release/server');
const siteRoot = process.env.AI_CONSOLE_SITE_ROOT ?? join(root, 'target/site');

// With E2E_POSTGRES_URL (a cluster scripts/test.sh starts, whose
// databases e2e_team, e2e_enterprise and e2e_gateway it creates), the
// team, enterprise and gateway specs run a second time against servers on
// PostgreSQL.
const postgres = process.env.E2E_POSTGRES_URL;
const onPostgres = (database: string) => postgres && postgres.replace(/\/[^/]*$/, `/${database}`);

type ServerName =
  | 'team'
  | 'teamNoJs'
  | 'budget'
  | 'sso'
  | 'ssoOnly'
  | 'enterprise'
  | 'enterpriseEu'
  | 'gateway'
  | 'teamPostgres'
  | 'enterprisePostgres'
  | 'gatewayPostgres';
type Server = {
  plan: string;
  region: string;
  database?: string;
  webhook?: boolean;
  // Single sign-on through the loopback OpenID provider; `passwords: false` turns password sign-in off.
  sso?: { passwords: boolean };
};
const servers: Partial<Record<ServerName, Server>> = {
  team: { plan: 'team', region: 'us' },
  teamNoJs: { plan: 'team', region: 'us' },
  // Its own server: a spent budget turns AI off, and its spend would add
  // to the Usage spec's figures.
  budget: { plan: 'team', region: 'us', webhook: true },
  sso: { plan: 'team', region: 'us', sso: { passwords: true } },
  ssoOnly: { plan: 'team', region: 'us', sso: { passwords: false } },
  enterprise: { plan: 'enterprise', region: 'us' },
  enterpriseEu: { plan: 'enterprise', region: 'eu' },
  // Its own server: its calls through the gateway add to usage, and it
  // switches AI off.
  gateway: { plan: 'team', region: 'us' },
  ...(postgres
    ? {
        teamPostgres: { plan: 'team', region: 'us', database: onPostgres('e2e_team') },
        enterprisePostgres: { plan: 'enterprise', region: 'us', database: onPostgres('e2e_enterprise') },
        gatewayPostgres: { plan: 'team', region: 'us', database: onPostgres('e2e_gateway') },
      }
    : {}),
};
const names = Object.keys(servers) as ServerName[];

// Free loopback ports, chosen once in the main process and handed to the
// workers through the environment they inherit.
if (!process.env.E2E_PORTS) {
  const script = `
    const net = require('node:net');
    const take = () => new Promise((ok) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => ok(s)); });
    Promise.all(Array.from({ length: ${names.length + 2} }, take)).then((all) => {
      console.log(all.map((s) => s.address().port).join(','));
      all.forEach((s) => s.close());
    });`;
  process.env.E2E_PORTS = execFileSync(process.execPath, ['-e', script]).toString().trim();
}
const ports = process.env.E2E_PORTS.split(',').map(Number);
const url = (name: ServerName) => `http://127.0.0.1:${ports[names.indexOf(name)]}`;
// The OpenID provider first, the fake model provider last (the budget
// spec finds it there).
const oidcProvider = `http://127.0.0.1:${ports[names.length]}`;
const fakeProvider = `http://127.0.0.1:${ports[names.length + 1]}`;
const OIDC_CLIENT_SECRET = 'e2e-oidc-client-secret-0123456789';
const ssoNames = names.filter((name) => servers[name]!.sso);
// The budget server signs its webhook notifications with this; the fake
// provider, which receives them, checks them with it.
const WEBHOOK_SECRET = 'e2e-budget-webhook-secret-0123456789';

// Each server's data directory (database, master key file, server.log),
// under one root chosen once, like the ports; the secrets-at-rest spec
// searches them (E2E_DATA_ROOT/<server name>).
if (!process.env.E2E_DATA_ROOT) {
  process.env.E2E_DATA_ROOT = mkdtempSync(join(tmpdir(), 'ai-console-e2e-'));
}
const dataDir = (name: ServerName) => join(process.env.E2E_DATA_ROOT!, name);

// Each server first creates the e2e accounts with its own CLI, then runs.
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const createPeople = Object.values(people)
  .map((p) => `${quote(bin)} create-user --email ${quote(p.email)} --name ${quote(p.name)} --role ${p.role}`)
  .join(' && ');

const consoleServers: NonNullable<PlaywrightTestConfig['webServer']> = names.map((name) => {
  const log = quote(join(dataDir(name), 'server.log'));
  return {
    command: `mkdir -p ${quote(dataDir(name))} && (${createPeople}) >> ${log} 2>&1 && exec ${quote(bin)} >> ${log} 2>&1`,
    url: `${url(name)}/settings/ai`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${ports[names.indexOf(name)]}`,
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_ENV: 'PROD',
      AI_PLAN: servers[name]!.plan,
      AI_REGION: servers[name]!.region,
      ...(servers[name]!.database ? { DATABASE_URL: servers[name]!.database } : {}),
      AI_OPENAI_BASE_URL: `${fakeProvider}/openai/v1`,
      AI_OPENAI_EU_BASE_URL: `${fakeProvider}/openai-eu/v1`,
      AI_ANTHROPIC_BASE_URL: `${fakeProvider}/anthropic/v1`,
      AI_PROVIDER_TIMEOUT_SECS: '2',
      // The managed provider's key, which only the fake accepts.
      AI_MANAGED_OPENAI_API_KEY: 'sk-e2e-managed-openai-0000',
      AI_MANAGED_ANTHROPIC_API_KEY: 'sk-e2e-managed-anthropic-0000',
      // The fake provider is on loopback, like a self-hosted model server
      // on a private network: typed base URLs may reach it.
      AI_CONSOLE_PRIVATE_MODEL_NETWORKS: '127.0.0.0/8',
      AI_CONSOLE_DATA_DIR: dataDir(name),
      RUST_LOG: 'info',
      AI_CONSOLE_NEW_PASSWORD: PASSWORD,
      ...(servers[name]!.sso
        ? {
            AI_CONSOLE_PUBLIC_URL: url(name),
            AI_OIDC_ISSUER: oidcProvider,
            AI_OIDC_CLIENT_ID: 'ai-console',
            AI_OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET,
            AI_OIDC_NAME: 'Example ID',
            AI_OIDC_SCOPES: 'email profile groups',
            AI_OIDC_ADMIN_GROUPS: 'console-admins',
            AI_OIDC_MEMBER_GROUPS: 'console-members',
            AI_PASSWORD_SIGN_IN: servers[name]!.sso!.passwords ? 'on' : 'off',
          }
        : {}),
      ...(servers[name]!.webhook
        ? { AI_BUDGET_WEBHOOK_URL: `${fakeProvider}/webhook`, AI_BUDGET_WEBHOOK_SECRET: WEBHOOK_SECRET }
        : {}),
    },
  };
});
const webServer = [
  {
    command: `exec node ${quote(join(__dirname, 'fake-provider.mjs'))} ${ports[names.length + 1]} ${WEBHOOK_SECRET}`,
    url: `${fakeProvider}/health`,
    reuseExistingServer: false,
    timeout: 10_000,
  },
  {
    command: [
      'exec node',
      quote(join(__dirname, 'oidc-provider.mjs')),
      ports[names.length],
      OIDC_CLIENT_SECRET,
      ssoNames.map((name) => `${url(name)}/auth/oidc/callback`).join(','),
      ssoNames.map((name) => `${url(name)}/login?signed_out=1`).join(','),
    ].join(' '),
    url: `${oidcProvider}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    timeout: 15_000,
  },
  ...consoleServers,
];

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer,
  projects: [
    {
      name: 'team',
      testMatch: /switches|accessibility|page-weight|accounts|first-admin|conflict|members|provider-plan|api-access|features|usage|privacy/,
      use: { baseURL: url('team') },
    },
    {
      name: 'team-without-javascript',
      testMatch: /without-javascript/,
      use: { baseURL: url('teamNoJs'), javaScriptEnabled: false },
    },
    { name: 'budget', testMatch: /budget/, use: { baseURL: url('budget') } },
    { name: 'sso', testMatch: /single-sign-on/, use: { baseURL: url('sso') } },
    { name: 'sso-only', testMatch: /sign-on-only/, use: { baseURL: url('ssoOnly') } },
    { name: 'enterprise', testMatch: /enterprise|provider-keys|models/, use: { baseURL: url('enterprise') } },
    { name: 'enterprise-eu', testMatch: /residency/, use: { baseURL: url('enterpriseEu') } },
    { name: 'gateway', testMatch: /gateway/, use: { baseURL: url('gateway') } },
    ...(postgres
      ? [
          {
            name: 'team-postgres',
            testMatch: /switches|accounts|conflict|members|api-access|features|usage/,
            use: { baseURL: url('teamPostgres') },
          },
          {
            name: 'enterprise-postgres',
            testMatch: /enterprise|provider-keys|models/,
            use: { baseURL: url('enterprisePostgres') },
          },
          { name: 'gateway-postgres', testMatch: /gateway/, use: { baseURL: url('gatewayPostgres') } },
        ]
      : []),
    {
      // Runs after the specs that add keys, and searches those servers'
      // databases and logs for them.
      name: 'secrets-at-rest',
      testMatch: /secrets-at-rest/,
      dependencies: ['enterprise', 'enterprise-eu', ...(postgres ? ['enterprise-postgres'] : [])],
    },
  ],
});
