#!/usr/bin/env node
// Writes maximum-quality .br and .gz files beside each JS, WASM and CSS file
// of the built site, which the server sends as they are to browsers that
// accept them. Compressing once at build time at the highest quality beats
// compressing every response on the fly at a quick, lower quality.
//
//   node scripts/precompress.mjs [site-pkg-dir]   (default target/site/pkg)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? join(root, 'target/site/pkg');

for (const name of readdirSync(dir).filter((file) => /\.(js|wasm|css)$/.test(file))) {
  const path = join(dir, name);
  const raw = readFileSync(path);
  writeFileSync(
    `${path}.br`,
    zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  );
  writeFileSync(`${path}.gz`, zlib.gzipSync(raw, { level: zlib.constants.Z_BEST_COMPRESSION }));
}
