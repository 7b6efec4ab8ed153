// A model provider on loopback for the e2e suite (the real ones are out of
// reach, and tests must not spend money): GET /{flavour}/v1/models answers
// 200 for the keys in tests/keys.ts and 401 for any other; `slow` answers
// after 10 s, `broken` with 500. OpenAI flavours read `Authorization:
// Bearer`, Anthropic `x-api-key`. It is also the operator's budget
// webhook: POST /webhook keeps each notification with whether its
// signature checks out under the secret given, GET /webhook lists them.
// POST /{flavour}/v1/chat/completions answers the managed key
// (MANAGED_KEY) with a fixed completion of 11 input and 7 output tokens,
// whole or streamed, as calls through the console's gateway reach it;
// POST /anthropic/v1/messages does the same in Anthropic's format for
// MANAGED_ANTHROPIC_KEY (sent as x-api-key).
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

export const MANAGED_KEY = 'sk-e2e-managed-openai-0000';
const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

/** A chat completion, as OpenAI answers it, for the managed key only. */
function chat(request, response, body) {
  if ((request.headers.authorization ?? '') !== `Bearer ${MANAGED_KEY}`) {
    response.writeHead(401, { 'content-type': 'application/json' });
    return response.end(JSON.stringify({ error: { message: 'invalid api key', type: 'invalid_request_error' } }));
  }
  const model = body.model === 'gpt-4o' ? 'gpt-4o-2024-08-06' : body.model;
  const base = { id: 'chatcmpl-e2e', created: 0, model };
  if (!body.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    return response.end(JSON.stringify({
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Lima.' }, finish_reason: 'stop' }],
      usage,
    }));
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (event) => response.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...event })}\n\n`);
  send({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Li' }, finish_reason: null }] });
  send({ choices: [{ index: 0, delta: { content: 'ma.' }, finish_reason: 'stop' }] });
  if (body.stream_options?.include_usage) send({ choices: [], usage });
  response.end('data: [DONE]\n\n');
}

export const MANAGED_ANTHROPIC_KEY = 'sk-e2e-managed-anthropic-0000';

/** A message, as Anthropic answers it, for the managed key only. */
function message(request, response, body) {
  if ((request.headers['x-api-key'] ?? '') !== MANAGED_ANTHROPIC_KEY) {
    response.writeHead(401, { 'content-type': 'application/json' });
    return response.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
  }
  const model = body.model === 'claude-sonnet-4' ? 'claude-sonnet-4-20250514' : body.model;
  const start = { id: 'msg_e2e', type: 'message', role: 'assistant', model, stop_sequence: null };
  if (!body.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    return response.end(JSON.stringify({
      ...start,
      content: [{ type: 'text', text: 'Lima.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 11, output_tokens: 7 },
    }));
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (event) => response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  send({ type: 'message_start', message: { ...start, content: [], stop_reason: null, usage: { input_tokens: 11, output_tokens: 1 } } });
  send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Li' } });
  send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ma.' } });
  send({ type: 'content_block_stop', index: 0 });
  send({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } });
  send({ type: 'message_stop' });
  response.end();
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
  if (/^\/[a-z-]+\/v1\/chat\/completions$/.test(request.url ?? '') && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => chat(request, response, JSON.parse(body || '{}')));
    return;
  }
  if (request.url === '/anthropic/v1/messages' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => message(request, response, JSON.parse(body || '{}')));
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
