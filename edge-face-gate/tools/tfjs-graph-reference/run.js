// The outputs TensorFlow.js computes for a graph model (model.json + shards) with its pure-JavaScript
// CPU backend, one input per file: raw little-endian float32 values in the model's NHWC input shape
// (batch 1). Usage: node run.js <model.json> <input.f32>...  → one JSON object per input on stdout,
// {signature output name: [values]}.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const converter = require('@tensorflow/tfjs-converter');

async function main() {
  const [modelPath, ...inputs] = process.argv.slice(2);
  if (!modelPath || inputs.length === 0) {
    console.error('usage: node run.js <model.json> <input.f32>...');
    process.exit(2);
  }

  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  const folder = path.dirname(modelPath);
  const specs = [];
  const shards = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) shards.push(fs.readFileSync(path.join(folder, p)));
  }
  const bytes = Buffer.concat(shards);
  const model = await converter.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
  }));

  const inputSpec = Object.values(json.signature.inputs)[0];
  const shape = inputSpec.tensorShape.dim.map((d) => Number(d.size));
  shape[0] = 1;
  const count = shape.reduce((a, b) => a * b, 1);
  const outputNames = Object.keys(json.signature.outputs);
  const outputNodes = outputNames.map((n) => json.signature.outputs[n].name);
  for (const file of inputs) {
    const raw = fs.readFileSync(file);
    if (raw.length !== count * 4) throw new Error(`${file}: ${raw.length} bytes, expected ${count} float32 values (${shape.join('x')})`);
    const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const input = tf.tensor(values, shape);
    const results = model.execute(input, outputNodes);
    const line = {};
    for (let i = 0; i < outputNames.length; i++) line[outputNames[i]] = Array.from(await results[i].data());
    tf.dispose([input, ...results]);
    console.log(JSON.stringify(line));
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
