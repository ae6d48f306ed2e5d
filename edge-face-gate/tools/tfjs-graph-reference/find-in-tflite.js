// Which weight tensors of a TensorFlow.js graph model occur in a TensorFlow Lite file: each tensor's
// values are looked for as a contiguous run, both as float16 (the tflite stores half floats) and as
// float32 values that round to the same half floats (a float32 tflite the tfjs model was quantized from).
// Convolution kernels are also tried in tflite's OHWI order (tfjs stores HWIO).
// Usage: node find-in-tflite.js <model.json> <file.tflite>  → one line per tensor, then a summary.
'use strict';
const fs = require('fs');
const path = require('path');

// IEEE float32 → float16 bits, round to nearest even (as tfjs's converter stored the weights).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toHalf(value) {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

function find(haystack, needle) {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (haystack[i] !== needle[0]) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const [modelPath, tflitePath] = process.argv.slice(2);
const json = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
const tflite = fs.readFileSync(tflitePath);
// The tflite as aligned half floats, and its aligned float32 values rounded to half floats.
const halves = [0, 1].map((o) => new Uint16Array(tflite.buffer.slice(tflite.byteOffset + o, tflite.byteOffset + o + 2 * Math.floor((tflite.length - o) / 2))));
const rounded = [0, 1, 2, 3].map((o) => {
  const n = Math.floor((tflite.length - o) / 4);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = toHalf(tflite.readFloatLE(o + 4 * i));
  return out;
});

let offset = 0;
let matched = 0, tried = 0;
for (const group of json.weightsManifest) {
  const bin = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(path.dirname(modelPath), p))));
  for (const w of group.weights) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const half = w.quantization && w.quantization.dtype === 'float16';
    const bytes = count * (half ? 2 : 4);
    if (!half || w.dtype !== 'float32' || count < 8) { offset += bytes; continue; }
    const values = new Uint16Array(bin.buffer.slice(bin.byteOffset + offset, bin.byteOffset + offset + bytes));
    offset += bytes;
    const orders = [['as stored', values]];
    if (w.shape.length === 4 && w.shape[3] > 1) {
      const [h, wd, ci, co] = w.shape;
      const ohwi = new Uint16Array(count);
      for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
        ohwi[((o * h + y) * wd + x) * ci + i] = values[((y * wd + x) * ci + i) * co + o];
      }
      orders.push(['OHWI', ohwi]);
    }
    tried++;
    let where = 'not found';
    search: for (const [order, needle] of orders) {
      for (let o = 0; o < 2; o++) {
        const at = find(halves[o], needle);
        if (at >= 0) { where = `float16 at byte ${o + 2 * at} (${order})`; break search; }
      }
      for (let o = 0; o < 4; o++) {
        const at = find(rounded[o], needle);
        if (at >= 0) { where = `float32 rounding to it at byte ${o + 4 * at} (${order})`; break search; }
      }
    }
    if (where !== 'not found') matched++;
    console.log(`${w.name} [${w.shape.join(',')}]: ${where}`);
  }
}
console.log(`${matched} of ${tried} float tensors (8 values or more) found in ${path.basename(tflitePath)}`);
