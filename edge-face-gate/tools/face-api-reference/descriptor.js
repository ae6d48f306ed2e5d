// The 128-d descriptor face-api.js computes for raw 150x150x3 RGB chips (row-major, 8-bit), with its
// own network code and TensorFlow.js's CPU backend, from the weights in a tfjs manifest folder.
// Usage: node descriptor.js <weights-folder> <chip.rgb>...   → one JSON array per chip on stdout.
'use strict';
const fs = require('fs');
const path = require('path');
const faceapi = require('face-api.js');
const tf = faceapi.tf;

async function main() {
  const [folder, ...chips] = process.argv.slice(2);
  if (!folder || chips.length === 0) {
    console.error('usage: node descriptor.js <weights-folder> <chip.rgb>...');
    process.exit(2);
  }

  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'face_recognition_model-weights_manifest.json'), 'utf8'));
  const net = new faceapi.FaceRecognitionNet();
  for (const group of manifest) {
    const shards = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(folder, p))));
    const bytes = shards.buffer.slice(shards.byteOffset, shards.byteOffset + shards.byteLength);
    net.loadFromWeightMap(tf.io.decodeWeights(bytes, group.weights));
  }

  for (const chip of chips) {
    const pixels = fs.readFileSync(chip);
    if (pixels.length !== 150 * 150 * 3) {
      throw new Error(`${chip}: ${pixels.length} bytes, expected 150*150*3`);
    }

    const input = tf.tensor4d(Float32Array.from(pixels), [1, 150, 150, 3]);
    const descriptor = await net.computeFaceDescriptor(input);
    input.dispose();
    console.log(JSON.stringify(Array.from(descriptor)));
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
