import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_KEYS } from './keys';

// Runs after the enterprise specs added, replaced and removed keys: no
// file those servers wrote (database, its WAL, master key file, log) may
// contain any of them.
for (const server of ['enterprise', 'enterpriseEu']) {
  test(`no key added through the page is readable in ${server}'s database or log`, () => {
    const dir = join(process.env.E2E_DATA_ROOT!, server);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['console.db', 'master.keys', 'server.log']));
    for (const file of files) {
      const bytes = readFileSync(join(dir, file));
      for (const key of ALL_KEYS) {
        expect(bytes.includes(key), `${key} in ${file}`).toBe(false);
      }
    }
  });
}
