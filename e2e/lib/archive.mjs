// Minimal readers for the bundle's archives: the files by path, with the
// archive's top-level folder removed.
import { inflateRawSync, gunzipSync } from 'node:zlib';

function strip(path) {
  const i = path.indexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(strip(name), (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

export function readTarGz(buf) {
  const tar = gunzipSync(buf);
  const files = new Map();
  let pax = {};
  for (let p = 0; p + 512 <= tar.length;) {
    const h = tar.subarray(p, p + 512);
    if (h.every((b) => b === 0)) break;
    const field = (a, b) => h.toString('utf8', a, b).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    let name = field(0, 100);
    const prefix = field(345, 500);
    if (prefix) name = `${prefix}/${name}`;
    const body = tar.subarray(p + 512, p + 512 + size);
    p += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'g') {
      for (const rec of body.toString('utf8').split('\n')) {
        const m = /^\d+ ([^=]+)=(.*)$/s.exec(rec);
        if (m) pax[m[1]] = m[2];
      }
      continue;
    }
    if (pax.path) name = pax.path;
    pax = {};
    if (type === '0' || type === '\0') files.set(strip(name), body.toString('utf8'));
  }
  return files;
}

// diffFiles describes how two file maps differ, or returns ''.
export function diffFiles(want, got) {
  const out = [];
  for (const [k, v] of want) {
    if (!got.has(k)) out.push(`missing ${k}`);
    else if (got.get(k) !== v) out.push(`differs ${k}`);
  }
  for (const k of got.keys()) if (!want.has(k)) out.push(`extra ${k}`);
  return out.join(', ');
}
