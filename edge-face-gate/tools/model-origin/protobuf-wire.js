'use strict';
// Minimal reader of the protobuf wire format: enough to walk ONNX's ModelProto without
// generated classes or npm packages, so the tool runs on a bare Node install.

function readVarint(buf, pos) {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint at byte ' + pos);
    const b = buf[pos++];
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value, pos };
    shift += 7n;
  }
}

// Yields { field, wire, value } for each field of one message; value is a BigInt for
// varints, a Buffer slice for length-delimited fields and fixed-width fields.
function* fields(buf) {
  let pos = 0;
  while (pos < buf.length) {
    const key = readVarint(buf, pos);
    pos = key.pos;
    const field = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    if (wire === 0) {
      const v = readVarint(buf, pos);
      pos = v.pos;
      yield { field, wire, value: v.value };
    } else if (wire === 2) {
      const len = readVarint(buf, pos);
      const start = len.pos;
      const end = start + Number(len.value);
      if (end > buf.length) throw new Error('length-delimited field runs past the message end');
      pos = end;
      yield { field, wire, value: buf.subarray(start, end) };
    } else if (wire === 5) {
      yield { field, wire, value: buf.subarray(pos, pos + 4) };
      pos += 4;
    } else if (wire === 1) {
      yield { field, wire, value: buf.subarray(pos, pos + 8) };
      pos += 8;
    } else {
      throw new Error('unsupported wire type ' + wire + ' at byte ' + pos);
    }
  }
}

// A repeated integer field may arrive packed (one length-delimited run) or one value per key.
function appendInts(target, f) {
  if (f.wire === 0) { target.push(Number(f.value)); return; }
  let pos = 0;
  while (pos < f.value.length) {
    const v = readVarint(f.value, pos);
    pos = v.pos;
    target.push(Number(v.value));
  }
}

module.exports = { fields, appendInts };
