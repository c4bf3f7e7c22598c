// Loaded with --require into a measured process: writes its peak resident set size on exit.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const out = process.env.SIGNIN_ASSISTANT_RSS_FILE;
  if (out) writeFileSync(out, String(process.resourceUsage().maxRSS * 1024));
});
