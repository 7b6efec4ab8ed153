// A model provider on loopback for the e2e suite (the real ones are out of
// reach, and tests must not spend money): GET /{flavour}/v1/models answers
// 200 for the keys in tests/keys.ts and 401 for any other; `slow` answers
// after 10 s, `broken` with 500. OpenAI flavours read `Authorization:
// Bearer`, Anthropic `x-api-key`. It is also the operator's budget
// webhook: POST /webhook keeps each notification with whether its
// signature checks out under the secret given, GET /webhook lists them.
// Usage: node fake-provider.mjs PORT WEBHOOK_SECRET
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const WEBHOOK_SECRET = process.argv[3] ?? '';
const notifications = [];

/** Whether `header` (t=…,v1=…) signs `body` under the shared secret. */
function signed(header, body) {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((part) => part.split('=')));
  const expected = createHmac('sha256', WEBHOOK_SECRET).update(`${parts.t}.${body}`).digest('hex');
  const given = Buffer.from(parts.v1 ?? '', 'utf8');
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected, 'utf8'));
}

const GOOD_KEYS = new Set(['sk-e2e-good-key-1111', 'sk-e2e-good-key-2222']);
const port = Number(process.argv[2]);

createServer((request, response) => {
  const answer = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.url === '/health') return answer(200, { ok: true });
  if (request.url === '/webhook' && request.method === 'GET') return answer(200, notifications);
  if (request.url === '/webhook' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      notifications.push({
        event: request.headers['x-ai-console-event'],
        signatureValid: signed(request.headers['x-ai-console-signature'], body),
        body: JSON.parse(body),
      });
      answer(200, { ok: true });
    });
    return;
  }
  const match = /^\/([a-z-]+)\/v1\/models$/.exec(request.url ?? '');
  if (!match || request.method !== 'GET') return answer(404, { error: 'not found' });
  const flavour = match[1];
  if (flavour === 'slow') return setTimeout(() => answer(200, { data: [] }), 10_000);
  if (flavour === 'broken') return answer(500, { error: 'broken on purpose' });
  const key =
    flavour === 'anthropic'
      ? request.headers['x-api-key']
      : (request.headers.authorization ?? '').replace(/^Bearer /, '');
  const models = (ids) => answer(200, { object: 'list', data: ids.map((id) => ({ id })) });
  if (GOOD_KEYS.has(key) && flavour === 'anthropic') return models(['claude-sonnet-4', 'claude-haiku-4']);
  // The second key's account no longer offers two of the first's models.
  if (key === 'sk-e2e-good-key-2222') return models(['gpt-4o', 'gpt-4.1']);
  if (GOOD_KEYS.has(key)) return models(['gpt-4o', 'gpt-4o-mini', 'o3-mini']);
  return answer(401, { error: { message: 'invalid api key' } });
}).listen(port, '127.0.0.1');
