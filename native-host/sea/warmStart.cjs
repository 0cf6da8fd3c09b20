// The single executable's entry (Linux): runs the bundled host, an asset, with a V8 code cache made
// at build time after one start-up. The cache Node makes for a SEA's main holds only the top level,
// so each start compiled every function it ran; with this one a start deserialises them instead.
// Built and checked by native-host/sea/build.ts and tests/integration/seaBuild.test.ts.
'use strict';
const vm = require('node:vm');
const sea = require('node:sea');

/** Runs the bundle as Node runs a CommonJS main; `whenCompiled` sees the script before it runs. */
function run(source, cachedData, whenCompiled) {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n});`;
  const script = new vm.Script(wrapped, { filename: 'host.cjs', cachedData });
  whenCompiled(script);
  script.runInThisContext().call(module.exports, module.exports, require, module, __filename, __dirname);
}

if (sea.isSea()) {
  // The bundle is ASCII (build.ts checks): read as latin1, a copy, where UTF-8 decoding cost ms.
  const source = Buffer.from(sea.getRawAsset('host.cjs')).toString('latin1');
  run(source, Buffer.from(sea.getRawAsset('host.cache')), (script) => {
    // Still correct, only slower: say so on stderr (never stdout, which carries frames).
    if (script.cachedDataRejected) process.stderr.write('cardbridge-host: code cache rejected\n');
  });
} else {
  // At build time: the bundle beside this file, started once; the cache is written as it exits.
  const fs = require('node:fs');
  const path = require('node:path');
  const source = fs.readFileSync(path.join(__dirname, 'host.cjs'), 'utf8');
  run(source, undefined, (script) =>
    process.on('exit', () => fs.writeFileSync(path.join(__dirname, 'host.cache'), script.createCachedData())),
  );
}
