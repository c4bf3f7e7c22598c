const { performance } = require('perf_hooks');
const T0 = performance.now(); let t = T0;
const lap = (what) => { const n = performance.now(); console.log(what.padEnd(28), (n - t).toFixed(1)); t = n; };
(async () => {
  const { loadConfig } = require('./dist/main/configLoader'); lap('require configLoader');
  const { createPolicySource } = require('./dist/main/policy'); lap('require policy');
  const logging = require('./dist/main/logging'); lap('require logging');
  await logging.initLogging({ runtime: 'node' }); lap('initLogging');
  const logger = logging.createLogger('cli');
  const loaded = await loadConfig({ configPath: null, env: process.env, policy: createPolicySource({ platform: 'linux', logger }), requireTenant: true }); lap('loadConfig');
  logging.logEffectiveConfig(logger, loaded); lap('logEffectiveConfig');
  const { createEngine } = require('./dist/main/engine'); lap('require engine');
  const engine = await createEngine({ config: loaded.config, home: process.env.SIGNIN_ASSISTANT_HOME, timeZone: 'UTC', clock: { now: () => new Date() }, logger, openBrowser: async () => {} }); lap('createEngine');
  const r = await engine.check(); lap('check ' + r.password.state);
  await engine.dispose(); lap('dispose');
  console.log('total', (performance.now() - T0).toFixed(1));
})();
