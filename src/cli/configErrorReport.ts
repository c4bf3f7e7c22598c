/**
 * `status --json` prints exactly one object, also when the settings cannot be used: the report of
 * a check that could not start, with `error.kind: "configuration"` (exit 4) and the message that
 * stderr carries too.
 */
import { DEFAULT_CONFIG } from '../core/config';
import type { StatusReport } from '../core/model';
import { buildStatusReport } from '../core/statusReport';

export function configurationErrorReport(message: string): StatusReport {
  return buildStatusReport({
    account: null,
    evaluation: null,
    reminder: null,
    error: { kind: 'configuration', aadsts: null, message, action: null },
    // The settings are not usable, so the pages they name are not either: the defaults stand.
    urls: {
      changePasswordUrl: DEFAULT_CONFIG.changePasswordUrl,
      resetPasswordUrl: DEFAULT_CONFIG.resetPasswordUrl,
    },
  });
}
