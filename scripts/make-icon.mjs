// The plugin's listing icon, drawn in code: a 512 x 512 PNG of three staggered bars (plans
// running side by side, as in a Gantt chart) on a rounded dark square. The PNG encoder is the
// smallest that is valid: 8-bit RGBA, no interlace, filter 0 on every row, one IDAT chunk.
// Same pixels every time, so the committed icon can be checked against a fresh build.
import { deflateSync } from "node:zlib";

export const ICON_SIZE = 512;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** `pixel(x, y)` gives [r, g, b, a] for every pixel of a size x size image. */
export function encodePng(size, pixel) {
  const row = 1 + size * 4;
  const raw = Buffer.alloc(row * size);
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

const inRoundedRect = (x, y, left, top, right, bottom, radius) => {
  if (x < left || x >= right || y < top || y >= bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius - 1);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius - 1);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
};

const BACKGROUND = [24, 32, 52, 255];
const BARS = [
  { left: 96, right: 300, top: 128, color: [94, 200, 180, 255] },
  { left: 96, right: 416, top: 228, color: [94, 200, 180, 255] },
  { left: 212, right: 416, top: 328, color: [240, 160, 72, 255] },
];

export function iconPng() {
  return encodePng(ICON_SIZE, (x, y) => {
    for (const b of BARS) if (inRoundedRect(x, y, b.left, b.top, b.right, b.top + 56, 28)) return b.color;
    return inRoundedRect(x, y, 0, 0, ICON_SIZE, ICON_SIZE, 96) ? BACKGROUND : [0, 0, 0, 0];
  });
}
