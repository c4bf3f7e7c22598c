// Test-only stand-in for keytar in the Windows tier's node_modules (scripts/windows-tier.sh copies
// it over node_modules/keytar/lib/keytar.js): keytar's npm tarball has no Windows binary (its
// install script downloads one or builds it with MSVC), and msal-node-extensions require()s it at
// load although its Windows store (DPAPI) never calls it. Any call says so instead of passing.
'use strict';
const unavailable = () =>
  Promise.reject(new Error('keytar is not available in the Windows test tier under Wine'));
module.exports = {
  getPassword: unavailable,
  setPassword: unavailable,
  deletePassword: unavailable,
  findPassword: unavailable,
  findCredentials: unavailable,
};
