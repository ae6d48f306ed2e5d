'use strict';
// How a target tensor relates to a candidate array of the same element count.

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m) m = d;
  }
  return m;
}

function maxAbs(a) {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) > m) m = Math.abs(a[i]);
  return m;
}

// Folding a BatchNorm into the convolution before it multiplies each output channel's kernel by
// one factor. So if target = s_o * candidate for every output channel o (s_o fitted by least
// squares), the kernels are the same weights with a BatchNorm folded into one of them.
// Returns the worst residual relative to the channel's largest value, and the scales' range.
function perChannelScale(target, candidate, outChannels) {
  const per = target.length / outChannels;
  if (per < 2 || !Number.isInteger(per)) return null;
  let worst = 0;
  let minS = Infinity;
  let maxS = -Infinity;
  for (let o = 0; o < outChannels; o++) {
    let tc = 0;
    let cc = 0;
    for (let k = o * per; k < (o + 1) * per; k++) { tc += target[k] * candidate[k]; cc += candidate[k] * candidate[k]; }
    let peak = 0;
    let resid = 0;
    if (cc === 0) {
      for (let k = o * per; k < (o + 1) * per; k++) { peak = Math.max(peak, Math.abs(target[k])); }
      if (peak > 0) return { worstRelResidual: Infinity, minScale: NaN, maxScale: NaN };
      continue;
    }
    const s = tc / cc;
    for (let k = o * per; k < (o + 1) * per; k++) {
      peak = Math.max(peak, Math.abs(target[k]));
      resid = Math.max(resid, Math.abs(target[k] - s * candidate[k]));
    }
    if (peak > 0) worst = Math.max(worst, resid / peak);
    minS = Math.min(minS, s);
    maxS = Math.max(maxS, s);
  }
  return { worstRelResidual: worst, minScale: minS, maxScale: maxS };
}

// Mean over output channels of |cosine| between the two kernels: insensitive to folded BatchNorms,
// near 1 for the same or fine-tuned weights, well below for separate trainings of one architecture.
function meanChannelCosine(target, candidate, outChannels) {
  const per = target.length / outChannels;
  if (per < 2 || !Number.isInteger(per)) return null;
  let sum = 0;
  for (let o = 0; o < outChannels; o++) {
    let tc = 0;
    let tt = 0;
    let cc = 0;
    for (let k = o * per; k < (o + 1) * per; k++) {
      tc += target[k] * candidate[k];
      tt += target[k] * target[k];
      cc += candidate[k] * candidate[k];
    }
    sum += tt > 0 && cc > 0 ? Math.abs(tc) / Math.sqrt(tt * cc) : 0;
  }
  return sum / outChannels;
}

module.exports = { maxAbsDiff, maxAbs, perChannelScale, meanChannelCosine };
