// Draws the tray icons (one per state, PNG @1x/@2x, macOS template images, Windows .ico) and the
// app icon from simple shapes, with no image library: shapes are sampled 4x4 per pixel for
// smooth edges and written as PNG with zlib. Run `node scripts/makeIcons.mjs` and commit assets/.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A path, not a URL's: on Windows a URL's pathname is /C:/… and a space in it is %20.
const root = fileURLToPath(new URL('..', import.meta.url));
const trayDir = join(root, 'assets', 'tray');

// ---- shapes, in a unit square (0..1), y downwards ----
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, width) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - width;
};
const segment = (ax, ay, bx, by, width) => (x, y) => {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (ax + t * vx), y - (ay + t * vy)) <= width / 2;
};
const roundedRect = (x0, y0, x1, y1, radius) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.max(x0 + radius, Math.min(x1 - radius, x));
  const cy = Math.max(y0 + radius, Math.min(y1 - radius, y));
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
};
const halfRing = (cx, cy, r, width) => (x, y) => y <= cy && ring(cx, cy, r, width)(x, y);

// ---- the glyph of each state: distinct shapes, so they read without colour (template images) ----
const STROKE = 0.15;
const glyphs = {
  ok: [segment(0.3, 0.52, 0.45, 0.67, STROKE), segment(0.45, 0.67, 0.72, 0.36, STROKE)],
  expiring: [
    segment(0.5, 0.5, 0.5, 0.27, STROKE * 0.9),
    segment(0.5, 0.5, 0.68, 0.6, STROKE * 0.9),
  ],
  expired: [segment(0.33, 0.33, 0.67, 0.67, STROKE), segment(0.67, 0.33, 0.33, 0.67, STROKE)],
  'signed-out': [segment(0.3, 0.5, 0.7, 0.5, STROKE)],
  error: [segment(0.5, 0.26, 0.5, 0.56, STROKE), circle(0.5, 0.72, STROKE * 0.62)],
};

// Colours with good contrast against both light and dark taskbars.
const colours = {
  ok: [26, 127, 55],
  expiring: [191, 135, 0],
  expired: [207, 34, 46],
  'signed-out': [110, 119, 129],
  error: [188, 76, 0],
};

/** Layers are painted in order; the last one containing a sample wins. */
function render(size, layers) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          for (let i = layers.length - 1; i >= 0; i--) {
            const layer = layers[i];
            if (layer.shapes.some((shape) => shape(x, y))) {
              const alpha = layer.colour[3] ?? 255;
              r += layer.colour[0] * alpha;
              g += layer.colour[1] * alpha;
              b += layer.colour[2] * alpha;
              a += alpha;
              break;
            }
          }
        }
      }
      const o = (py * size + px) * 4;
      const samples = n * n;
      pixels[o] = a ? Math.round(r / a) : 0;
      pixels[o + 1] = a ? Math.round(g / a) : 0;
      pixels[o + 2] = a ? Math.round(b / a) : 0;
      pixels[o + 3] = Math.round(a / samples);
    }
  }
  return { size, pixels };
}

// ---- PNG and ICO encoding ----
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png({ size, pixels }) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // no filter
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/**
 * A 32-bit bitmap as an .ico entry stores it: a BITMAPINFOHEADER with twice the height (colour
 * rows, then the transparency mask), rows bottom-up in BGRA, then the 1-bit AND mask.
 */
function dib({ size, pixels }) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8);
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  const colour = Buffer.alloc(size * size * 4);
  const maskStride = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const o = (row * size + x) * 4;
      colour[o] = pixels[i + 2];
      colour[o + 1] = pixels[i + 1];
      colour[o + 2] = pixels[i];
      colour[o + 3] = pixels[i + 3];
      if (pixels[i + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  header.writeUInt32LE(colour.length + mask.length, 20);
  return Buffer.concat([header, colour, mask]);
}

/**
 * An .ico as Windows' own tools write it: bitmaps for the small sizes (read by every consumer:
 * the shell, rcedit, the NSIS and WiX compilers), PNG for 256 px (Vista and later).
 */
function ico(images) {
  const encoded = images.map((image) => (image.size >= 256 ? png(image) : dib(image)));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map((image, i) => {
    const entry = Buffer.alloc(16);
    entry[0] = image.size >= 256 ? 0 : image.size;
    entry[1] = image.size >= 256 ? 0 : image.size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(encoded[i].length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += encoded[i].length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...encoded]);
}

/**
 * An Apple .icns holding PNG images, one per type code (16 px to 1024 px, the @2x ones included),
 * for the macOS app bundle and the DMG.
 */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];
function icns(renderAt) {
  const cache = new Map();
  const entries = ICNS_TYPES.map(([type, size]) => {
    if (!cache.has(size)) cache.set(size, png(renderAt(size)));
    const data = cache.get(size);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([header, data]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + entries.reduce((sum, entry) => sum + entry.length, 0), 4);
  return Buffer.concat([header, ...entries]);
}

// ---- the icons ----
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
mkdirSync(trayDir, { recursive: true });
const written = [];
function write(path, data) {
  writeFileSync(path, data);
  written.push(path.slice(root.length));
}

for (const [state, colour] of Object.entries(colours)) {
  const coloured = [
    { shapes: [circle(0.5, 0.5, 0.47)], colour },
    { shapes: glyphs[state], colour: WHITE },
  ];
  // Template: a black ring around a black glyph; macOS tints it for light and dark menu bars.
  const template = [{ shapes: [ring(0.5, 0.5, 0.47, 0.1), ...glyphs[state]], colour: BLACK }];
  const base = join(trayDir, `tray-${state}`);
  write(`${base}.png`, png(render(16, coloured)));
  write(`${base}@2x.png`, png(render(32, coloured)));
  write(`${base}Template.png`, png(render(16, template)));
  write(`${base}Template@2x.png`, png(render(32, template)));
  write(`${base}.ico`, ico([16, 20, 24, 32, 48].map((size) => render(size, coloured))));
}

// App icon: a white padlock on a blue rounded square.
const appIcon = [
  { shapes: [roundedRect(0.04, 0.04, 0.96, 0.96, 0.2)], colour: [11, 92, 173] },
  {
    shapes: [
      halfRing(0.5, 0.44, 0.2, 0.075),
      segment(0.3375, 0.44, 0.3375, 0.5, 0.075),
      segment(0.6625, 0.44, 0.6625, 0.5, 0.075),
      roundedRect(0.26, 0.47, 0.74, 0.82, 0.05),
    ],
    colour: WHITE,
  },
  { shapes: [circle(0.5, 0.6, 0.045), segment(0.5, 0.6, 0.5, 0.7, 0.05)], colour: [11, 92, 173] },
];
write(join(root, 'assets', 'icon.png'), png(render(512, appIcon)));
// Windows: the exe, the shortcuts, the installers and Apps & features (at least 256 px).
write(
  join(root, 'assets', 'icon.ico'),
  ico([16, 20, 24, 32, 40, 48, 64, 128, 256].map((size) => render(size, appIcon))),
);
// macOS: the app bundle (electron-builder.yml: mac.icon).
write(
  join(root, 'assets', 'icon.icns'),
  icns((size) => render(size, appIcon)),
);

console.log(`Wrote ${written.length} icon files:\n  ${written.join('\n  ')}`);
