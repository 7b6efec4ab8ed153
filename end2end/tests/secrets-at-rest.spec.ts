import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_KEYS } from './keys';

// Runs after the enterprise specs added, replaced and removed keys: no
// file those servers wrote (database, its WAL, master key file, log) may
// contain any of them.
const expectNoKeyIn = (path: string) => {
  const bytes = readFileSync(path);
  for (const key of ALL_KEYS) {
    expect(bytes.includes(key), `${key} in ${path}`).toBe(false);
  }
};

/** Every file under `dir`, however deep. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

for (const server of ['enterprise', 'enterpriseEu']) {
  test(`no key added through the page is readable in ${server}'s database or log`, () => {
    const dir = join(process.env.E2E_DATA_ROOT!, server);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['console.db', 'master.keys', 'server.log']));
    for (const file of files) {
      expectNoKeyIn(join(dir, file));
    }
  });
}

test('no key added through the page is readable in the PostgreSQL cluster\'s files or the log', () => {
  test.skip(!process.env.E2E_POSTGRES_URL, 'the PostgreSQL pass is off');
  const dir = join(process.env.E2E_DATA_ROOT!, 'enterprisePostgres');
  expect(readdirSync(dir)).toEqual(expect.arrayContaining(['master.keys', 'server.log']));
  for (const file of readdirSync(dir)) {
    expectNoKeyIn(join(dir, file));
  }
  // Everything PostgreSQL wrote to disk: tables, indexes, its WAL.
  execFileSync(process.env.E2E_PSQL!, [process.env.E2E_POSTGRES_URL!, '-qc', 'CHECKPOINT']);
  const cluster = filesUnder(join(process.env.E2E_POSTGRES_DIR!, 'data'));
  expect(cluster.length).toBeGreaterThan(100);
  for (const file of cluster) {
    expectNoKeyIn(file);
  }
});
