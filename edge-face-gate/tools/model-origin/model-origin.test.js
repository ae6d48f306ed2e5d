'use strict';
// Checks the readers and the three relations on tiny files built here:
//   node --test edge-face-gate/tools/model-origin/
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { readOnnxModel } = require('./onnx-tensors');
const { readTorchStorages } = require('./torch-storages');
const { perChannelScale, meanChannelCosine } = require('./compare-tensors');

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}
const bytesField = (field, buf) => Buffer.concat([varint((field << 3) | 2), varint(buf.length), buf]);
const intField = (field, n) => Buffer.concat([varint(field << 3), varint(n)]);

function tensorProto(name, dims, values) {
  const raw = Buffer.from(Float32Array.from(values).buffer);
  return Buffer.concat([...dims.map(d => intField(1, d)), intField(2, 1), bytesField(8, Buffer.from(name)), bytesField(9, raw)]);
}

function onnxModel(tensors) {
  const graph = Buffer.concat(tensors.map(t => bytesField(5, tensorProto(t.name, t.dims, t.values))));
  return Buffer.concat([bytesField(2, Buffer.from('test')), bytesField(7, graph)]);
}

// A legacy checkpoint's storage: int64 element count, then the values.
function legacyStorage(values) {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(values.length, 0);
  return Buffer.concat([head, Buffer.from(Float32Array.from(values).buffer)]);
}

const kernel = Array.from({ length: 32 }, (_, i) => Math.sin(i + 1));
const bias = Array.from({ length: 16 }, (_, i) => Math.cos(i + 1));
const unrelated = Array.from({ length: 32 }, (_, i) => Math.sin(3 * i + 7));

test('reads the float initializers of an ONNX model with names and shapes', () => {
  const m = readOnnxModel(onnxModel([{ name: 'w', dims: [4, 8], values: kernel }]));
  assert.strictEqual(m.tensors.length, 1);
  assert.deepStrictEqual(m.tensors[0].dims, [4, 8]);
  assert.ok(Math.abs(m.tensors[0].values[5] - Math.sin(6)) < 1e-6);
});

test('finds a storage of a wanted size in a legacy checkpoint', () => {
  const buf = Buffer.concat([Buffer.from([0x80, 0x02, 0x8a, 0x0a, 1, 2, 3]), legacyStorage(kernel)]);
  const found = readTorchStorages(buf, new Set([32]));
  assert.ok(found.some(s => s.values.length === 32 && Math.abs(s.values[0] - Math.sin(1)) < 1e-6));
});

test('a kernel scaled per output channel is recognised, an unrelated one is not', () => {
  const scaled = kernel.map((v, i) => v * (1 + Math.floor(i / 8)));
  assert.ok(perChannelScale(Float32Array.from(scaled), Float32Array.from(kernel), 4).worstRelResidual < 1e-6);
  assert.ok(perChannelScale(Float32Array.from(unrelated), Float32Array.from(kernel), 4).worstRelResidual > 0.1);
});

test('per-channel cosine is 1 for scaled kernels and lower for unrelated ones', () => {
  const scaled = kernel.map((v, i) => -v * (1 + Math.floor(i / 8)));
  assert.ok(Math.abs(meanChannelCosine(Float32Array.from(scaled), Float32Array.from(kernel), 4) - 1) < 1e-6);
  assert.ok(meanChannelCosine(Float32Array.from(unrelated), Float32Array.from(kernel), 4) < 0.9);
});

test('the command reports bytes, scaled and none against a candidate checkpoint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-origin-'));
  const target = path.join(dir, 'target.onnx');
  const candidate = path.join(dir, 'candidate.pth');
  const scaled = kernel.map((v, i) => v * (1 + Math.floor(i / 8)));
  fs.writeFileSync(target, onnxModel([
    { name: 'bias', dims: [16], values: bias },
    { name: 'folded', dims: [4, 8], values: scaled },
    { name: 'other', dims: [4, 8], values: unrelated },
  ]));
  fs.writeFileSync(candidate, Buffer.concat([Buffer.from([0x80, 0x02]), legacyStorage(bias), legacyStorage(kernel)]));
  const out = execFileSync(process.execPath, [path.join(__dirname, 'model-origin.js'), '--list', target, candidate], { encoding: 'utf8' });
  assert.match(out, /matched 2\/3 tensors \(bytes 1, equal 0, scaled 1\)/);
  assert.match(out, /bytes\s+bias/);
  assert.match(out, /scaled\s+folded/);
  assert.match(out, /none\s+other.*best per-channel \|cosine\| 0\.\d\d/);
});
