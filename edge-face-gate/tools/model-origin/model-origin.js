#!/usr/bin/env node
'use strict';
// Compares the float weights of one ONNX model with candidate upstream files, by value:
//   node model-origin.js [--min N] [--list] target.onnx candidate1 [candidate2 ...]
// Candidates may be ONNX models, PyTorch checkpoints (.pth, zip or legacy) or any other file
// (only the byte search applies to those). For each target tensor of at least --min values
// (default 16) it reports the strongest relation found:
//   bytes  - the tensor's float32 bytes occur verbatim in the candidate file
//   equal  - a candidate tensor of the same size has the same values (max |diff| <= 1e-6 of the peak)
//   scaled - same up to one factor per output channel (a BatchNorm folded into one side)
//   none   - nothing of that; --list shows the closest candidate's relative max |diff| and, for
//            kernels, the best mean per-channel |cosine| (near 1: same or fine-tuned weights)
const fs = require('fs');
const path = require('path');
const { readOnnxModel } = require('./onnx-tensors');
const { readTorchStorages } = require('./torch-storages');
const { maxAbsDiff, maxAbs, perChannelScale, meanChannelCosine } = require('./compare-tensors');

const EQUAL_TOLERANCE = 1e-6;
const SCALED_TOLERANCE = 1e-4;

function usage(message) {
  if (message) console.error('error: ' + message);
  console.error('usage: node model-origin.js [--min N] [--list] target.onnx candidate [candidate ...]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { min: 16, list: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--list') opts.list = true;
    else if (argv[i] === '--min') {
      opts.min = Number(argv[++i]);
      if (!Number.isInteger(opts.min) || opts.min < 1) usage('--min needs a positive whole number');
    } else if (argv[i].startsWith('--')) usage('unknown option ' + argv[i]);
    else opts.files.push(argv[i]);
  }
  if (opts.files.length < 2) usage('need a target model and at least one candidate');
  for (const f of opts.files) if (!fs.existsSync(f)) usage('no such file: ' + f);
  return opts;
}

function isOnnx(buf) {
  try { return readOnnxModel(buf).tensors.length > 0; } catch { return false; }
}

function candidateArrays(buf, wantedCounts) {
  if (buf.length >= 2 && buf[0] === 0x80 && buf[1] <= 5) return readTorchStorages(buf, wantedCounts);
  if (buf.readUInt32LE(0) === 0x04034b50) return readTorchStorages(buf, wantedCounts);
  if (isOnnx(buf)) return readOnnxModel(buf).tensors.map(t => ({ name: t.name, values: t.values }));
  return [];
}

function relate(t, cand) {
  const peak = Math.max(maxAbs(t.values), 1e-30);
  let best = { kind: 'none', closest: Infinity, with: '', cosine: null };
  if (cand.buf.indexOf(t.bytes) >= 0) return { kind: 'bytes', with: '(file bytes)' };
  for (const c of cand.arrays) {
    if (c.values.length !== t.values.length) continue;
    const rel = maxAbsDiff(t.values, c.values) / peak;
    if (rel <= EQUAL_TOLERANCE) return { kind: 'equal', with: c.name, rel };
    if (t.dims.length >= 2) {
      const sc = perChannelScale(t.values, c.values, t.dims[0]);
      if (sc && sc.worstRelResidual <= SCALED_TOLERANCE) {
        return { kind: 'scaled', with: c.name, rel: sc.worstRelResidual, scales: [sc.minScale, sc.maxScale] };
      }
      const cos = meanChannelCosine(t.values, c.values, t.dims[0]);
      if (cos !== null && (best.cosine === null || cos > best.cosine)) best.cosine = cos;
    }
    if (rel < best.closest) best = { kind: 'none', closest: rel, with: c.name, cosine: best.cosine };
  }
  return best;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const [targetPath, ...candidatePaths] = opts.files;
  const target = readOnnxModel(fs.readFileSync(targetPath));
  const tensors = target.tensors.filter(t => t.values.length >= opts.min);
  const totalValues = tensors.reduce((a, t) => a + t.values.length, 0);
  const wanted = new Set(tensors.map(t => t.values.length));
  console.log(`target ${path.basename(targetPath)} (${target.producer}): ${tensors.length} float tensors of >= ${opts.min} values, ${totalValues} values`);
  for (const cp of candidatePaths) {
    const buf = fs.readFileSync(cp);
    const cand = { buf, arrays: candidateArrays(buf, wanted) };
    const counts = { bytes: 0, equal: 0, scaled: 0, none: 0 };
    const valuesMatched = { bytes: 0, equal: 0, scaled: 0, none: 0 };
    const worst = { equal: 0, scaled: 0 };
    const lines = [];
    for (const t of tensors) {
      const r = relate(t, cand);
      counts[r.kind]++;
      valuesMatched[r.kind] += t.values.length;
      if (r.kind in worst) worst[r.kind] = Math.max(worst[r.kind], r.rel);
      if (opts.list) {
        let detail = r.with;
        if (r.kind === 'equal') detail += ` relative max|diff| ${r.rel.toExponential(1)}`;
        if (r.kind === 'scaled') detail += ` residual ${r.rel.toExponential(1)}, scales ${r.scales[0].toFixed(3)}..${r.scales[1].toFixed(3)}`;
        if (r.kind === 'none' && r.with) detail += ` closest relative max|diff| ${r.closest.toExponential(2)}`;
        if (r.kind === 'none' && r.cosine !== null) detail += `, best per-channel |cosine| ${r.cosine.toFixed(2)}`;
        lines.push(`  ${r.kind.padEnd(6)} ${t.name.padEnd(12)} ${(t.dims.join('x') || 'scalar').padEnd(14)} ${detail}`);
      }
    }
    const matched = counts.bytes + counts.equal + counts.scaled;
    const matchedValues = valuesMatched.bytes + valuesMatched.equal + valuesMatched.scaled;
    console.log(`${path.basename(cp)} [${cand.arrays.length} arrays read]: matched ${matched}/${tensors.length} tensors ` +
      `(bytes ${counts.bytes}, equal ${counts.equal}, scaled ${counts.scaled}), ${matchedValues}/${totalValues} values` +
      (counts.equal ? `; equal within ${worst.equal.toExponential(1)}` : '') +
      (counts.scaled ? `; scaled residual within ${worst.scaled.toExponential(1)}` : ''));
    for (const l of lines) console.log(l);
  }
}

main();
