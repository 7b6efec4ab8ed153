// Policy streams under load, for scripts/bench.sh (a report, not a test):
// opens STREAMS Server-Sent-Events streams on one console, then flips the
// AI switch CHANGES times through another (or the same) console and times
// how long each change takes to reach every stream. Prints JSON: the
// server's extra memory with the streams open, and the p99 and worst
// time for a change to reach all of them.
//
//   node bench-streams.mjs --stream-base URL --save-base URL --token T
//        --cookie C --streams N --changes M [--pid PID]
import http from 'node:http';
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => {
    if (word.startsWith('--')) pairs.push([word.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const streams = Number(args.streams ?? 1000);
const changes = Number(args.changes ?? 20);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

const rssKb = (pid) =>
  pid ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) : 0;

/** Opens one stream; calls `onPolicy(policy, at)` for every event. */
function openStream(onPolicy) {
  return new Promise((resolve, reject) => {
    const url = new URL('/api/v1/workspaces/default/ai-policy/stream', args['stream-base']);
    const request = http.get(url, { agent, headers: { authorization: `Bearer ${args.token}` } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      let buffered = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        buffered += chunk;
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = event.split('\n').find((line) => line.startsWith('data: '));
          if (data) onPolicy(JSON.parse(data.slice(6)), performance.now());
        }
      });
      resolve(request);
    });
    request.on('error', reject);
  });
}

/** Saves the AI switch through the save console as its page's script does. */
async function save(enabled, version) {
  const response = await fetch(new URL('/api/settings/ai/enabled', args['save-base']), {
    method: 'POST',
    headers: {
      cookie: args.cookie,
      origin: args['save-base'],
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: `enabled=${enabled}&version=${version}`,
  });
  if (!response.ok) throw new Error(`save answered ${response.status}`);
  return (await response.json()).version;
}

const before = rssKb(args.pid);
const latest = new Array(streams).fill(null);
let waiting = null;
const opened = [];
for (let i = 0; i < streams; i += 1) {
  opened.push(
    openStream((policy, at) => {
      latest[i] = policy.ai_enabled;
      if (waiting && policy.ai_enabled === waiting.value) waiting.arrived(i, at);
    }),
  );
}
await Promise.all(opened);
while (latest.some((value) => value === null)) await new Promise((r) => setTimeout(r, 10));
const extraKb = rssKb(args.pid) - before;

const times = [];
let value = latest[0];
let version = Number(args.version ?? 0);
for (let change = 0; change < changes; change += 1) {
  value = !value;
  const done = new Promise((resolve) => {
    const seen = new Set();
    const started = performance.now();
    waiting = {
      value,
      arrived(i, at) {
        seen.add(i);
        if (seen.size === streams) resolve(at - started);
      },
    };
  });
  version = await save(value, version);
  times.push(await done);
}
times.sort((a, b) => a - b);
const p99 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)];
console.log(
  JSON.stringify({
    streams,
    changes,
    extra_memory_mib: +(extraKb / 1024).toFixed(1),
    p99_ms: +p99.toFixed(1),
    worst_ms: +times[times.length - 1].toFixed(1),
  }),
);
process.exit(0);
