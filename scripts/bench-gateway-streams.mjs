// Streams through the gateway, for scripts/bench-gateway.sh (a report, not
// a test): serves a streaming chat completion itself (a first chunk at
// once, then one a second for HOLD seconds), holds STREAMS streams open
// through the console's gateway and, while they are open, times the first
// byte of 200 single streams direct and 200 through the gateway. Prints
// JSON: the p99 each way, the difference, and the gateway's extra memory
// with every stream open.
//
//   node bench-gateway-streams.mjs --gateway URL --token T --pid PID
//        --streams N --hold SECONDS --port PORT
import http from 'node:http';
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => {
    if (word.startsWith('--')) pairs.push([word.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const streams = Number(args.streams ?? 1000);
const hold = Number(args.hold ?? 5);
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

const chunk = (delta, finish = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-2024-08-06', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

// The provider: streams a chunk a second for `hold` seconds.
const provider = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(chunk({ role: 'assistant', content: 'Hel' }));
    let left = hold;
    const timer = setInterval(() => {
      if (--left > 0) return response.write(chunk({ content: 'lo' }));
      clearInterval(timer);
      response.write(chunk({}, 'stop'));
      response.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-2024-08-06', choices: [], usage: { prompt_tokens: 12, completion_tokens: hold + 1, total_tokens: 13 + hold } })}\n\n`);
      response.end('data: [DONE]\n\n');
    }, 1000);
  });
});
await new Promise((resolve) => provider.listen(Number(args.port), '127.0.0.1', resolve));

const body = JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Hello' }] });
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** Opens `count` streams to `url` at once: their times to first byte, in ms. */
async function open(url, headers, count, whileOpen) {
  const firstBytes = [];
  let open = 0;
  let resolveAll;
  const allOpen = new Promise((resolve) => (resolveAll = resolve));
  const done = Array.from({ length: count }, () =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`answered ${response.statusCode}`));
        let first = true;
        response.on('data', () => {
          if (!first) return;
          first = false;
          firstBytes.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (++open === count) resolveAll();
        });
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.end(body);
    }),
  );
  await allOpen;
  const measured = whileOpen();
  await Promise.all(done);
  firstBytes.sort((a, b) => a - b);
  return { p99: firstBytes[Math.floor(firstBytes.length * 0.99) - 1], measured };
}

/** The time to first byte of `count` streams opened one after another, p99 in ms. */
async function probe(url, headers, count) {
  const times = [];
  for (let n = 0; n < count; n++) {
    const started = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
        response.once('data', () => {
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
          request.destroy();
          resolve();
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.99) - 1];
}

// STREAMS held open through the gateway; meanwhile the time to first byte
// of single streams, direct and through the gateway, one after another.
const gateway = `${args.gateway}/gateway/openai/v1/chat/completions`;
const auth = { authorization: `Bearer ${args.token}` };
const before = rssKb(args.pid);
const held = open(gateway, auth, streams, async () => {
  const during = rssKb(args.pid);
  const direct = await probe(`http://127.0.0.1:${args.port}/v1/chat/completions`, {}, 200);
  const through = await probe(gateway, auth, 200);
  return { during, direct, through };
});
const { measured } = await held;
const { during, direct, through } = await measured;
console.log(JSON.stringify({
  direct_p99_ms: direct.toFixed(2),
  gateway_p99_ms: through.toFixed(2),
  added_p99_ms: (through - direct).toFixed(2),
  extra_memory_mib: ((during - before) / 1024).toFixed(1),
}));
provider.close();
agent.destroy();
