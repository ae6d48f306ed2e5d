// Usage: node edge-face-gate/face-bursts/blink-ratio-sweep.js frames.csv edge-face-gate/face-bursts/blinks.csv (frames.csv from evaluate-bursts --dump)
// From an evaluate-bursts --dump CSV: per burst, the lowest eye openness of its accepted frames over their
// median (the blink challenge's measure); share of bursts at or below each ratio, per type; bona fide split
// by whether a blink was seen by eye (face-bursts/blinks.csv).
const fs = require('fs');
const [dump, blinksFile] = process.argv.slice(2);
const blinks = fs.readFileSync(blinksFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('file'))
  .map((l) => { const [f, a, b] = l.split(','); return { f, a: +a, b: +b }; });
const lines = fs.readFileSync(dump, 'utf8').split('\n').filter(Boolean);
const head = lines[0].split(',');
const col = (n) => head.indexOf(n);
const bursts = new Map();
for (const line of lines.slice(1)) {
  const c = line.split(',');
  const key = c[col('type')] + '|' + c[col('source')];
  if (!bursts.has(key)) bursts.set(key, { type: c[col('type')], source: c[col('source')], eyes: [] });
  if (c[col('accepted')] === 'True') bursts.get(key).eyes.push(+c[col('eye_openness')]);
}
const rows = [];
for (const b of bursts.values()) {
  if (b.eyes.length < 3) { rows.push({ ...b, ratio: Infinity }); continue; }
  const s = [...b.eyes].sort((x, y) => x - y);
  const median = s[Math.floor(s.length / 2)];
  let type = b.type;
  if (type === 'BonaFide') {
    const [file, start] = b.source.split('@');
    const s0 = +start;
    const seen = blinks.some((k) => k.f === file && k.a >= s0 && k.b < s0 + 36);
    type = seen ? 'BonaFide+blink' : 'BonaFide-noblink';
  }
  rows.push({ type, ratio: s[0] / median });
}
const types = [...new Set(rows.map((r) => r.type))];
const ratios = [0.65, 0.70, 0.75, 0.80, 0.85, 0.90];
console.log('type (bursts) | ' + ratios.map((r) => `≤${r.toFixed(2)}`).join(' | ') + ' | median ratio');
for (const t of types) {
  const of = rows.filter((r) => r.type === t);
  const med = of.map((r) => r.ratio).sort((a, b) => a - b)[Math.floor(of.length / 2)];
  console.log(`${t} (${of.length}) | ` + ratios.map((r) => `${(100 * of.filter((x) => x.ratio <= r).length / of.length).toFixed(0)} %`).join(' | ') + ` | ${med.toFixed(2)}`);
}
