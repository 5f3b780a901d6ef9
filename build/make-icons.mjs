// Renders build/icon.svg to build/icon.png and wraps PNG renditions into build/icon.ico and build/icon.icns.
// Usage: node build/make-icons.mjs (needs Chromium: CHROMIUM=/path or /usr/bin/chromium). Outputs are committed.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = import.meta.dirname;
const svg = await readFile(path.join(here, 'icon.svg'), 'utf8');
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
/** @type {Map<number, Buffer>} */
const png = new Map();
try {
  const page = await browser.newPage();
  for (const size of sizes) {
    await page.setViewportSize({ width: size, height: size });
    const html = `<html><body style="margin:0;background:transparent">${svg.replace(
      /width="1024" height="1024"/,
      `width="${size}" height="${size}"`,
    )}</body></html>`;
    await page.setContent(html);
    png.set(
      size,
      await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: size, height: size },
      }),
    );
  }
} finally {
  await browser.close();
}
const at = (size) => {
  const image = png.get(size);
  if (!image) throw new Error(`no ${size}px rendition`);
  return image;
};

// ICO: ICONDIR + one ICONDIRENTRY per image, PNG-compressed entries (valid since Windows Vista).
function ico(entries) {
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(([size, data], i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...entries.map(([, data]) => data)]);
}

// ICNS: 'icns' + total length, then typed chunks; these types hold PNG data (macOS 10.7+).
function icns(chunks) {
  const parts = chunks.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, part) => n + part.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

await writeFile(path.join(here, 'icon.png'), at(1024));
await writeFile(
  path.join(here, 'icon.ico'),
  ico([16, 24, 32, 48, 64, 128, 256].map((size) => [size, at(size)])),
);
await writeFile(
  path.join(here, 'icon.icns'),
  icns([
    ['icp4', at(16)],
    ['icp5', at(32)],
    ['icp6', at(64)],
    ['ic07', at(128)],
    ['ic08', at(256)],
    ['ic09', at(512)],
    ['ic10', at(1024)],
    // Retina variants: 16@2x, 32@2x, 128@2x, 256@2x.
    ['ic11', at(32)],
    ['ic12', at(64)],
    ['ic13', at(256)],
    ['ic14', at(512)],
  ]),
);
console.log('wrote build/icon.png, build/icon.ico, build/icon.icns');
