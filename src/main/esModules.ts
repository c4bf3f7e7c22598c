/**
 * The ES module packages the CommonJS build loads (`open`, `plist`), each at first use. This file
 * stays outside the headless command's bundle (see scripts/build-cli.mjs): the bundle runs from
 * V8's code cache, where an import() of its own cannot load anything, so it calls these.
 */
export function loadOpen() {
  return import('open');
}

export function loadPlist() {
  return import('plist');
}
