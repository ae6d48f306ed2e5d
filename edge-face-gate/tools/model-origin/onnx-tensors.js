'use strict';
// Reads the float32 weights of an ONNX model: graph initializers and the tensors of Constant
// nodes (PyTorch exports put weights in either place), with their names and shapes.
const { fields, appendInts } = require('./protobuf-wire');

const FLOAT = 1;

function readTensor(buf) {
  const t = { name: '', dims: [], dataType: 0, raw: null, floatData: [] };
  for (const f of fields(buf)) {
    if (f.field === 1) appendInts(t.dims, f);
    else if (f.field === 2) t.dataType = Number(f.value);
    else if (f.field === 8) t.name = f.value.toString('utf8');
    else if (f.field === 9) t.raw = f.value;
    else if (f.field === 4) {
      if (f.wire === 2) for (let i = 0; i + 4 <= f.value.length; i += 4) t.floatData.push(f.value.readFloatLE(i));
      else t.floatData.push(f.value.readFloatLE(0));
    } else if (f.field === 13 || (f.field === 14 && Number(f.value) === 1)) {
      throw new Error('tensor ' + t.name + ' keeps its data in an external file; not supported');
    }
  }
  if (t.dataType !== FLOAT) return null;
  let values;
  if (t.raw) {
    values = new Float32Array(t.raw.length / 4);
    for (let i = 0; i < values.length; i++) values[i] = t.raw.readFloatLE(i * 4);
  } else {
    values = Float32Array.from(t.floatData);
  }
  // Little-endian float32 bytes, as PyTorch storages and ONNX raw_data hold them.
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return { name: t.name, dims: t.dims, values, bytes };
}

function readNode(buf) {
  const node = { opType: '', outputs: [], tensors: [] };
  for (const f of fields(buf)) {
    if (f.field === 4) node.opType = f.value.toString('utf8');
    else if (f.field === 2) node.outputs.push(f.value.toString('utf8'));
    else if (f.field === 5) {
      for (const a of fields(f.value)) if (a.field === 5) node.tensors.push(a.value);
    }
  }
  return node;
}

// Returns { producer, tensors: [{ name, dims, values, bytes }] } in graph order.
function readOnnxModel(buf) {
  let producer = '';
  let graph = null;
  for (const f of fields(buf)) {
    if (f.field === 2) producer = f.value.toString('utf8') + producer;
    else if (f.field === 3) producer = producer + ' ' + f.value.toString('utf8');
    else if (f.field === 7) graph = f.value;
  }
  if (!graph) throw new Error('no graph: not an ONNX ModelProto');
  const tensors = [];
  for (const f of fields(graph)) {
    if (f.field === 5) {
      const t = readTensor(f.value);
      if (t) tensors.push(t);
    } else if (f.field === 1) {
      const node = readNode(f.value);
      if (node.opType !== 'Constant') continue;
      for (const tb of node.tensors) {
        const t = readTensor(tb);
        if (t) { if (!t.name) t.name = node.outputs[0]; tensors.push(t); }
      }
    }
  }
  return { producer: producer.trim(), tensors };
}

module.exports = { readOnnxModel };
