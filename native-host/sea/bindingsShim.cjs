// Loads a native file inside the single executable (koffi's): from beside the executable (an IT
// override) or from the SEA asset, written to a private temp folder first because dlopen needs a file.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

/**
 * Loaded addons by file name: each load from the asset is a new temporary file, which dlopen maps
 * again; a caller asking once per PC/SC retry would map one more copy every second.
 */
const loaded = new Map();

function loadAddon(name) {
  const file = path.basename(name.endsWith('.node') ? name : `${name}.node`);
  const known = loaded.get(file);
  if (known) return known;
  const exports = loadFile(file);
  loaded.set(file, exports);
  return exports;
}

function loadFile(file) {
  const mod = { exports: {} };
  const beside = path.join(path.dirname(process.execPath), file);
  if (fs.existsSync(beside)) {
    process.dlopen(mod, beside);
    return mod.exports;
  }
  const sea = require('node:sea');
  if (!sea.isSea()) throw new Error(`native addon ${file} not found`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cardbridge-'));
  const tmp = path.join(dir, file);
  try {
    fs.writeFileSync(tmp, Buffer.from(sea.getRawAsset(file)), { mode: 0o700 });
    process.dlopen(mod, tmp);
  } finally {
    // Once loaded the file is no longer needed (on Windows the delete fails while loaded: ignore).
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* see above */
    }
  }
  return mod.exports;
}

module.exports = loadAddon;
module.exports.loadAddon = loadAddon;
