'use strict';
// Finds the float32 storages inside a PyTorch checkpoint (.pth) without unpickling it.
// Zip checkpoints (PyTorch >= 1.6) keep each storage as an uncompressed entry `<name>/data/<key>`.
// Legacy checkpoints append each storage after the pickles as an int64 element count followed by
// the raw little-endian values; those are found by looking for a count that equals a wanted size.

function zipStorages(buf) {
  // End of central directory record: signature 0x06054b50, search backwards past any comment.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('zip without end-of-central-directory record');
  const entries = buf.readUInt16LE(eocd + 10);
  let pos = buf.readUInt32LE(eocd + 16);
  const storages = [];
  for (let e = 0; e < entries; e++) {
    if (buf.readUInt32LE(pos) !== 0x02014b50) throw new Error('bad zip central directory entry');
    const method = buf.readUInt16LE(pos + 10);
    const size = buf.readUInt32LE(pos + 20);
    const nameLen = buf.readUInt16LE(pos + 28);
    const extraLen = buf.readUInt16LE(pos + 30);
    const commentLen = buf.readUInt16LE(pos + 32);
    const local = buf.readUInt32LE(pos + 42);
    const name = buf.toString('utf8', pos + 46, pos + 46 + nameLen);
    pos += 46 + nameLen + extraLen + commentLen;
    if (!/\/data\/[^/]+$/.test(name) || method !== 0 || size % 4 !== 0) continue;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    storages.push({ name, values: floats(buf, start, size / 4) });
  }
  return storages;
}

function legacyStorages(buf, wantedCounts) {
  const storages = [];
  for (let i = 0; i + 8 <= buf.length; i++) {
    const lo = buf.readUInt32LE(i);
    if (!wantedCounts.has(lo) || buf.readUInt32LE(i + 4) !== 0) continue;
    if (i + 8 + lo * 4 > buf.length) continue;
    storages.push({ name: 'storage@' + (i + 8), values: floats(buf, i + 8, lo) });
  }
  return storages;
}

function floats(buf, start, count) {
  const out = new Float32Array(count);
  for (let k = 0; k < count; k++) out[k] = buf.readFloatLE(start + k * 4);
  return out;
}

function isZip(buf) {
  return buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50;
}

// wantedCounts: element counts of the tensors being looked for (only used for legacy files).
function readTorchStorages(buf, wantedCounts) {
  return isZip(buf) ? zipStorages(buf) : legacyStorages(buf, wantedCounts);
}

module.exports = { readTorchStorages };
