// Loads ITF traces with Quint's own ITF reader (@informalsystems/quint, dist/src/itf.js) and
// prints each variable's shape as Quint types it, one line per variable, after checking that
// the shape is the same in every state of every trace (an empty map, list or set fits any) and
// that every trace's params are set in its first state. Usage: node quint-shapes.js QUINT_DIR FILE...
const fs = require('fs');
const path = require('path');
const itf = require(path.join(process.argv[2], 'dist/src/itf.js'));

// a shape is a string (bool, str, int), null (an empty collection's element: fits anything),
// {rec: {field: shape}} or {op: 'Map'|'List'|'Set'|'Tup', args: [shape...]}
function shape(e) {
  switch (e.kind) {
    case 'bool': case 'str': case 'int': return e.kind;
    case 'app':
      if (e.opcode === 'Rec') {
        const rec = {};
        for (let i = 0; i < e.args.length; i += 2) rec[e.args[i].value] = shape(e.args[i + 1]);
        return {rec};
      }
      if (e.opcode === 'Map') {
        return {op: 'Map', args: [join(e.args.map(p => shape(p.args[0]))), join(e.args.map(p => shape(p.args[1])))]};
      }
      if (e.opcode === 'List' || e.opcode === 'Set') return {op: e.opcode, args: [join(e.args.map(shape))]};
      if (e.opcode === 'Tup') return {op: 'Tup', args: e.args.map(shape)};
      return {op: e.opcode + '?', args: []};
    default: return e.kind;
  }
}

const MISMATCH = Symbol('mismatch');
// the shape two values share, or MISMATCH
function unify(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  if (typeof a === 'string' || typeof b === 'string') return a === b ? a : MISMATCH;
  if (a.rec || b.rec) {
    if (!a.rec || !b.rec) return MISMATCH;
    const ka = Object.keys(a.rec).sort(), kb = Object.keys(b.rec).sort();
    if (ka.join() !== kb.join()) return MISMATCH;
    const rec = {};
    for (const k of ka) {
      const u = unify(a.rec[k], b.rec[k]);
      if (u === MISMATCH) return MISMATCH;
      rec[k] = u;
    }
    return {rec};
  }
  if (a.op !== b.op || a.args.length !== b.args.length) return MISMATCH;
  const args = [];
  for (let i = 0; i < a.args.length; i++) {
    const u = unify(a.args[i], b.args[i]);
    if (u === MISMATCH) return MISMATCH;
    args.push(u);
  }
  return {op: a.op, args};
}
function join(shapes) {
  let s = null;
  for (const t of shapes) {
    const u = unify(s, t);
    if (u === MISMATCH) throw new Error('mixed element shapes ' + show(s) + ' and ' + show(t));
    s = u;
  }
  return s;
}
function show(s) {
  if (s === null) return '?';
  if (typeof s === 'string') return s;
  if (s.rec) return '{' + Object.keys(s.rec).sort().map(k => k + ': ' + show(s.rec[k])).join(', ') + '}';
  if (s.op === 'Map') return 'Map(' + show(s.args[0]) + ' -> ' + show(s.args[1]) + ')';
  return s.op + '(' + s.args.map(show).join(', ') + ')';
}

const seen = {};
let failed = false;
for (const file of process.argv.slice(3)) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const states = itf.ofItf(json);
  for (const p of json.params || []) {
    if (!(p in json.states[0])) { console.log(file + ': param ' + p + ' not set in the first state'); failed = true; }
  }
  states.forEach((st, i) => {
    for (let k = 0; k < st.args.length; k += 2) {
      const name = st.args[k].value;
      if (name === '#meta' || (json.params || []).includes(name)) continue;
      const sh = shape(st.args[k + 1]);
      const u = seen[name] === undefined ? sh : unify(seen[name], sh);
      if (u === MISMATCH) {
        console.log(path.basename(file) + ': state ' + i + ': ' + name + ' is ' + show(sh) + ', elsewhere ' + show(seen[name]));
        failed = true;
      } else {
        seen[name] = u;
      }
    }
  });
}
for (const k of Object.keys(seen).sort()) console.log(k + ': ' + show(seen[k]));
process.exit(failed ? 1 : 0);
